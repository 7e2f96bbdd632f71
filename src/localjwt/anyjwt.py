"""Sign any JWT, for services other than Mux: a free header and payload,
RS256/384/512 with the same pasted keys, or HS256/384/512 with a secret.
"""

from __future__ import annotations

import base64
import binascii
import json
import warnings
from collections.abc import Mapping
from typing import Any, Literal

from jwt.exceptions import InvalidKeyError

from .algorithms import HASHES, Backend, make_jws
from .errors import ClaimsError, ExpiryError, KeyFormatError
from .expiry import parse_duration, parse_expiration
from .keys import SigningKey

__all__ = [
    "ALGORITHMS",
    "SecretEncoding",
    "ShortSecretWarning",
    "hmac_secret",
    "sign_jwt",
    "timed_claims",
]

HMAC_ALGORITHMS = {"HS256": 32, "HS384": 48, "HS512": 64}
ALGORITHMS = (*HASHES, *HMAC_ALGORITHMS)

SecretEncoding = Literal["utf-8", "base64url"]


class ShortSecretWarning(UserWarning):
    """Warned when an HMAC secret is shorter than the hash (RFC 7518 3.2)."""


def hmac_secret(text: str, encoding: SecretEncoding = "utf-8") -> bytes:
    """The secret's bytes: the text as UTF-8, or decoded from base64url."""
    if not text:
        raise KeyFormatError("Expected an HMAC secret, found nothing", field="secret")
    if encoding == "utf-8":
        return text.encode("utf-8")
    compact = "".join(text.split()).rstrip("=")
    try:
        secret = base64.urlsafe_b64decode(compact + "=" * (-len(compact) % 4))
    except (binascii.Error, ValueError):
        raise KeyFormatError(
            f"Expected the secret as base64url, found {len(compact)} characters "
            "that are not",
            field="secret",
        ) from None
    if not secret:
        raise KeyFormatError("Expected an HMAC secret, found nothing", field="secret")
    return secret


def timed_claims(
    *,
    now: float,
    iat: bool = False,
    nbf: str | None = None,
    exp: str | None = None,
) -> dict[str, int]:
    """``iat``, ``nbf`` and ``exp`` (RFC 7519 section 4.1) from durations.

    ``nbf`` is a duration from now (``0`` or ``now`` for now itself); ``exp`` is
    anything :func:`localjwt.expiry.parse_expiration` takes.
    """
    claims: dict[str, int] = {}
    if iat:
        claims["iat"] = int(now)
    if nbf is not None and nbf.strip():
        text = nbf.strip().lower()
        try:
            offset = 0.0 if text in {"0", "now"} else parse_duration(text)
        except ExpiryError as error:
            raise ExpiryError(error.message, field="nbf") from None
        claims["nbf"] = int(now + offset)
    if exp is not None and exp.strip():
        claims["exp"] = parse_expiration(exp, now=now)
    return claims


def sign_jwt(
    payload: Mapping[str, Any],
    *,
    algorithm: str = "RS256",
    header: Mapping[str, Any] | None = None,
    key: SigningKey | None = None,
    secret: bytes | None = None,
    backend: Backend = "auto",
) -> str:
    """Sign ``payload`` with ``key`` (RS*) or ``secret`` (HS*).

    ``header`` may add members such as ``kid``; ``alg`` always follows
    ``algorithm`` and ``typ`` defaults to ``JWT``.
    """
    if algorithm not in ALGORITHMS:
        raise ClaimsError(
            f"Expected an algorithm ({', '.join(ALGORITHMS)}), found {algorithm!r}",
            field="algorithm",
        )
    extra = {name: value for name, value in (header or {}).items() if name != "alg"}
    body = json.dumps(dict(payload), separators=(",", ":"), ensure_ascii=False)
    signing_key: Any
    if algorithm in HMAC_ALGORITHMS:
        if secret is None:
            raise KeyFormatError(
                f"Expected a secret for {algorithm}, found none", field="secret"
            )
        _warn_if_short(secret, algorithm)
        signing_key = secret
    else:
        if key is None:
            raise KeyFormatError(
                f"Expected a private key for {algorithm}, found none",
                field="private_key",
            )
        signing_key = key
    with warnings.catch_warnings():
        # Short secrets were warned about above, in localjwt's own words.
        warnings.simplefilter("ignore")
        try:
            return make_jws(backend).encode(
                body.encode("utf-8"), signing_key, algorithm=algorithm, headers=extra
            )
        except InvalidKeyError:
            # PyJWT refuses PEM, SSH and JWK text as an HMAC secret, against
            # algorithm confusion; the reason is the same for all three.
            raise KeyFormatError(
                "Expected an HMAC secret, found a public or private key; use an "
                "RS algorithm for keys",
                field="secret",
            ) from None


def _warn_if_short(secret: bytes, algorithm: str) -> None:
    wanted = HMAC_ALGORITHMS[algorithm]
    if len(secret) < wanted:
        warnings.warn(
            f"The secret has {len(secret)} bytes; {algorithm} needs at least "
            f"{wanted} (RFC 7518 section 3.2)",
            ShortSecretWarning,
            stacklevel=3,
        )
