"""The bridge the offline page calls: one JSON request in, one JSON answer out.

The only module that knows a page exists. The page sends
``{"op": ..., ...}`` to :func:`handle` and gets back ``{"ok": true,
"result": ...}`` or ``{"ok": false, "error": {"field": ..., "message": ...}}``,
where ``field`` names the form input to show the message beside. Nothing here
logs, and no answer ever contains the private key.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import json
import time
import warnings
from collections.abc import Callable
from typing import Any

from . import __version__
from .algorithms import ExternalSignatures
from .anyjwt import SecretEncoding, hmac_secret, sign_jwt, timed_claims
from .errors import KeyFormatError, LocalJWTError, ParameterError
from .expiry import DEFAULT_EXPIRATION, describe_exp, format_exp
from .export import (
    generate_test_key,
    make_key_id,
    private_pkcs8_der,
    public_pem,
    to_jwk,
    to_mux_base64,
)
from .inspect import decode, diagnose
from .jsontext import parse_object
from .keys import SigningKey, VerifyingKey, load_signing_key, load_verifying_key
from .mux import (
    TOKEN_TYPES,
    TYPE_NAMES,
    VIEWER_COUNT_KINDS,
    UnknownParameterWarning,
    token_type,
)
from .tokens import PLAYER_TYPES, SignedToken, Signer

__all__ = ["handle"]

# The last key parsed, by a digest of the pasted text: parsing costs more than
# signing in Pyodide, and the same key is signed with again and again.
_key_cache: dict[str, SigningKey] = {}


def handle(request_json: str) -> str:
    """Answer one request from the page; never raises."""
    try:
        request = json.loads(request_json)
        operation = _OPERATIONS.get(str(request.get("op")))
        if operation is None:
            raise LocalJWTError(f"Expected a known op, found {request.get('op')!r}")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = operation(request)
        result["warnings"] = [_warning(w.message) for w in caught]
        answer: dict[str, Any] = {"ok": True, "result": result}
    except LocalJWTError as error:
        answer = {
            "ok": False,
            "error": {"field": error.field, "message": error.message},
        }
    except Exception as error:
        # Only the type: an unexpected error's text could hold part of a key.
        message = f"Internal error ({type(error).__name__}); please report it"
        answer = {"ok": False, "error": {"field": None, "message": message}}
    return json.dumps(answer)


def _warning(message: Warning | str) -> dict[str, Any]:
    field = None
    if isinstance(message, UnknownParameterWarning):
        field = f"params.{message.name}"
    return {"field": field, "message": str(message)}


def _version(_request: dict[str, Any]) -> dict[str, Any]:
    return {"version": __version__}


def _describe(_request: dict[str, Any]) -> dict[str, Any]:
    """Token types and their parameters, for the page to build its form from."""
    types = []
    # Viewer counts, one type per ID kind in TOKEN_TYPES, are listed once below.
    for kind in (TOKEN_TYPES[name] for name in TYPE_NAMES if name in TOKEN_TYPES):
        types.append(
            {
                "name": kind.name,
                "label": kind.label,
                "aud": kind.aud,
                "id_label": kind.id_label,
                "params": [
                    {
                        "name": p.name,
                        "kind": p.kind,
                        "help": p.help,
                        "min": p.minimum,
                        "max": p.maximum,
                        "choices": list(p.choices),
                    }
                    for p in kind.parameters
                ],
            }
        )
    types.append(
        {
            "name": "viewer_counts",
            "label": "Viewer counts",
            "aud": "video_id",
            "id_label": VIEWER_COUNT_KINDS["video"],
            "params": [],
            "id_kinds": [
                {"name": n, "label": label, "aud": f"{n}_id"}
                for n, label in VIEWER_COUNT_KINDS.items()
            ],
        }
    )
    return {
        "version": __version__,
        "default_expiration": DEFAULT_EXPIRATION,
        "types": types,
        "player_types": list(PLAYER_TYPES),
    }


def _load_key(text: Any) -> SigningKey:
    if not isinstance(text, str) or not text.strip():
        return load_signing_key("")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    key = _key_cache.get(digest)
    if key is None:
        key = load_signing_key(text)
        _key_cache.clear()
        _key_cache[digest] = key
    return key


def _inspect_key(request: dict[str, Any]) -> dict[str, Any]:
    """What the pasted key is, for a hint under the field; fills the key ID."""
    key = _load_key(request.get("private_key"))
    return {"form": key.form, "bits": key.bits, "key_id": key.key_id}


def _clear_key(_request: dict[str, Any]) -> dict[str, Any]:
    """Forget the parsed key; the page clears its own field."""
    _key_cache.clear()
    gc.collect()
    return {"cleared": True}


def _custom(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    text = None if value is None else str(value)
    expected = "custom claims as a JSON object"
    claims = parse_object(text, field="custom", expected=expected)
    return claims if text and text.strip() else None


def _token(signed: SignedToken, now: float) -> dict[str, Any]:
    return {
        "name": signed.token_type.bundle_key,
        "type": signed.token_type.name,
        "label": signed.token_type.label,
        "token": signed.token,
        "urls": [{"label": label, "url": url} for label, url in signed.urls],
        "header": signed.header,
        "payload": signed.claims,
        "expires": {
            "exp": signed.exp,
            "utc": format_exp(signed.exp),
            "words": describe_exp(signed.exp, now=now),
        },
    }


# WebCrypto's names for the hashes of RS256, RS384 and RS512.
_WEBCRYPTO_HASHES = {"sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512"}


def _page_signatures(request: dict[str, Any]) -> ExternalSignatures | None:
    """What the page's WebCrypto has signed, when the page offers to sign.

    Native RSA in the browser is ~15x faster than Python's in WebAssembly and
    gives the same bytes; each signature is checked before it is used.
    """
    if not request.get("page_signs"):
        return None
    given = request.get("signatures")
    if not isinstance(given, dict):
        return ExternalSignatures()
    signatures = {
        str(signing_input).encode("ascii"): _b64url_bytes(str(signature))
        for signing_input, signature in given.items()
    }
    return ExternalSignatures(signatures, sign_missing=True)


def _b64url_bytes(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _ask_page(
    external: ExternalSignatures | None,
    key: SigningKey,
    now: float,
    request: dict[str, Any],
) -> dict[str, Any] | None:
    """The signing inputs for the page to sign, and the key if it lacks it."""
    if external is None or not external.missing:
        return None
    # A reference to the key by its public modulus: nothing secret in it.
    ref = hashlib.sha256(str(key.private_key.n).encode("ascii")).hexdigest()[:32]
    inputs = [
        {"input": signing_input.decode("ascii"), "hash": _WEBCRYPTO_HASHES[name]}
        for signing_input, name in external.missing
    ]
    known = set(request.get("page_keys") or [])
    needed = {f"{ref} {item['hash']}" for item in inputs}
    pkcs8 = None
    if not needed <= known:
        pkcs8 = base64.b64encode(private_pkcs8_der(key)).decode("ascii")
    return {"to_sign": {"inputs": inputs, "now": now, "key_ref": ref, "pkcs8": pkcs8}}


def _sign(request: dict[str, Any]) -> dict[str, Any]:
    """Sign one token, or a Mux Player bundle, from the form's fields."""
    now = float(request.get("now") or time.time())
    key = _load_key(request.get("private_key"))
    external = _page_signatures(request)
    signer = Signer(
        key,
        request.get("key_id"),
        kid_in_header=bool(request.get("kid_in_header")),
        backend=external or "auto",
    )
    common: dict[str, Any] = {
        "expiration": request.get("expiration") or DEFAULT_EXPIRATION,
        "playback_restriction_id": request.get("playback_restriction_id") or None,
        "custom": _custom(request.get("custom")),
        "now": now,
    }
    playback_id = str(request.get("playback_id") or "")
    if request.get("bundle"):
        bundle = signer.sign_player_bundle(
            playback_id,
            drm=bool(request.get("drm")),
            params=_bundle_params(request.get("bundle_params")),
            **common,
        )
        pending = _ask_page(external, key, now, request)
        return pending or {
            "key_id": signer.key_id,
            "tokens": [_token(t, now) for t in bundle.tokens.values()],
            "player": {"snippet": bundle.snippet, "url": bundle.player_url},
        }
    kind = token_type(str(request.get("type") or "video"), request.get("id_kind"))
    params = _flat_params(request.get("params"))
    signed = signer.sign(playback_id, kind.name, params=params, **common)
    pending = _ask_page(external, key, now, request)
    return pending or {
        "key_id": signer.key_id,
        "tokens": [_token(signed, now)],
        "player": None,
    }


def _flat_params(value: Any) -> dict[str, Any]:
    if not value:
        return {}
    if not isinstance(value, dict):
        raise ParameterError("params", "Expected parameters as an object")
    return {str(k): v for k, v in value.items() if v not in (None, "")}


def _bundle_params(value: Any) -> dict[str, dict[str, Any]]:
    if not value:
        return {}
    if not isinstance(value, dict):
        raise ParameterError("params", "Expected parameters by type as an object")
    return {str(kind): _flat_params(params) for kind, params in value.items()}


def _inspect_token(request: dict[str, Any]) -> dict[str, Any]:
    """Decode a token or signed URL; check it against a key when one is given."""
    now = float(request.get("now") or time.time())
    decoded = decode(str(request.get("token") or ""))
    key = _checking_key(request)
    findings = diagnose(decoded, now=now, key=key, key_id=request.get("key_id"))
    exp = decoded.claims.get("exp")
    return {
        "header": decoded.header,
        "payload": decoded.claims,
        "signature_checked": key is not None,
        "exp": exp if isinstance(exp, int | float) else None,
        "url": None
        if decoded.url is None
        else {
            "expected_aud": decoded.url.expected_aud,
            "playback_id": decoded.url.playback_id,
            "extra_parameters": list(decoded.url.extra_parameters),
        },
        "findings": [
            {"level": f.level, "code": f.code, "message": f.message} for f in findings
        ],
    }


def _checking_key(request: dict[str, Any]) -> SigningKey | VerifyingKey | None:
    """The public key pasted for inspection, else the form's key-pair, if any."""
    public = request.get("public_key")
    if isinstance(public, str) and public.strip():
        try:
            return load_verifying_key(public)
        except KeyFormatError as error:
            raise KeyFormatError(error.message, field="public_key") from None
    private = request.get("private_key")
    if isinstance(private, str) and private.strip():
        return _load_key(private)
    return None


def _json_object(value: Any, field: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return parse_object(None if value is None else str(value), field=field)


def _sign_jwt(request: dict[str, Any]) -> dict[str, Any]:
    """Sign any JWT: free header and payload, RS* with the key or HS* a secret."""
    now = float(request.get("now") or time.time())
    algorithm = str(request.get("algorithm") or "RS256")
    header = _json_object(request.get("header"), "header")
    payload = _json_object(request.get("payload"), "payload")
    payload |= timed_claims(
        now=now,
        iat=bool(request.get("iat")),
        nbf=request.get("nbf") or None,
        exp=request.get("exp") or None,
    )
    key, secret = None, None
    external = _page_signatures(request)
    if algorithm.startswith("HS"):
        encoding: SecretEncoding = (
            "base64url" if request.get("secret_encoding") == "base64url" else "utf-8"
        )
        secret = hmac_secret(str(request.get("secret") or ""), encoding)
    else:
        key = _load_key(request.get("private_key"))
    token = sign_jwt(
        payload,
        algorithm=algorithm,
        header=header,
        key=key,
        secret=secret,
        backend=external or "auto",
    )
    pending = _ask_page(external, key, now, request) if key else None
    if pending:
        return pending
    decoded = decode(token)
    return {"token": token, "header": decoded.header, "payload": decoded.claims}


def _public_key(request: dict[str, Any]) -> dict[str, Any]:
    """The public half of the pasted key, as PEM and JWK, for a local verifier."""
    key = _load_key(request.get("private_key"))
    return {"pem": public_pem(key), "jwk": to_jwk(key), "key_id": key.key_id}


def _test_key(request: dict[str, Any]) -> dict[str, Any]:
    """A throwaway key in Mux's format, with a made-up key ID.

    The page may hand in a PKCS #8 PEM it generated with WebCrypto, which is
    far faster than generating a key in pure Python.
    """
    generated = request.get("pkcs8")
    if isinstance(generated, str) and generated.strip():
        key = SigningKey(load_signing_key(generated).private_key, make_key_id(), "")
    else:
        key = generate_test_key()
    return {
        "key_id": key.key_id,
        "private_key": to_mux_base64(key),
        "public_pem": public_pem(key),
        "public_jwk": to_jwk(key),
    }


_OPERATIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "version": _version,
    "describe": _describe,
    "inspect_key": _inspect_key,
    "clear_key": _clear_key,
    "sign": _sign,
    "inspect_token": _inspect_token,
    "sign_jwt": _sign_jwt,
    "public_key": _public_key,
    "test_key": _test_key,
}
