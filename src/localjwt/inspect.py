"""Decode a token or a signed URL, check its signature, and say why Mux
would refuse it.

Mux answers a bad token with a bare 403. The reasons it gives in Mux Player
(an expired token, a ``sub`` that is not the playback ID, a missing or wrong
``aud``) and the mistakes people make (``exp`` in milliseconds, extra query
parameters on a signed URL) are spelled out here instead.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from .algorithms import HASHES, verify_pkcs1
from .errors import TokenFormatError
from .expiry import describe_exp, looks_like_milliseconds
from .keys import SigningKey, VerifyingKey
from .mux import TOKEN_TYPES

__all__ = ["DecodedToken", "Finding", "MuxURL", "decode", "diagnose", "verify"]

# Where each token type goes, by host and path (shared/MUX-TOKENS.md).
_URL_KINDS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("stream.mux.com", re.compile(r"^/(?P<id>[^/.]+)\.m3u8$"), "v"),
    ("image.mux.com", re.compile(r"^/(?P<id>[^/]+)/thumbnail\.\w+$"), "t"),
    ("image.mux.com", re.compile(r"^/(?P<id>[^/]+)/animated\.\w+$"), "g"),
    ("image.mux.com", re.compile(r"^/(?P<id>[^/]+)/storyboard\.\w+$"), "s"),
    ("license.mux.com", re.compile(r"^/license/\w+/(?P<id>[^/]+)$"), "d"),
    ("license.mux.com", re.compile(r"^/appcert/fairplay/(?P<id>[^/]+)$"), "d"),
    ("stats.mux.com", re.compile(r"^/counts$"), "viewer_counts"),
)
# Mux Player's page takes one token per attribute (Mux Player's helpers.ts).
_PLAYER_PARAMETERS = {
    "playback-token": "v",
    "thumbnail-token": "t",
    "storyboard-token": "s",
    "drm-token": "d",
}
_VIEWER_COUNT_AUDS = {"video_id", "asset_id", "playback_id", "live_stream_id"}
_AUD_NAMES = {t.aud: t.label for t in TOKEN_TYPES.values()}


@dataclass(frozen=True)
class MuxURL:
    """What a pasted URL says about the token in it."""

    url: str
    expected_aud: str | None
    playback_id: str | None
    token_parameter: str
    extra_parameters: tuple[str, ...]


@dataclass(frozen=True)
class DecodedToken:
    """A compact JWS split into its parts, not yet trusted."""

    token: str
    header: dict[str, Any]
    claims: dict[str, Any]
    signing_input: bytes
    signature: bytes
    url: MuxURL | None = None


@dataclass(frozen=True)
class Finding:
    """One thing worth knowing about a token, most serious first."""

    level: Literal["error", "warning", "ok"]
    code: str
    message: str


def decode(text: str) -> DecodedToken:
    """Split a compact JWT, or the token in a pasted Mux URL, without a key."""
    text = text.strip().strip("\"'")
    url = None
    if "://" in text:
        url, text = _from_url(text)
    parts = text.split(".")
    if len(parts) != 3:
        raise TokenFormatError(
            "Expected a JWT (three base64url parts joined by dots) or a Mux URL "
            f"with ?token=, found text with {len(parts)} part(s)"
        )
    header = _json_part(parts[0], "header")
    claims = _json_part(parts[1], "payload")
    signature = _b64url(parts[2], "signature")
    signing_input = f"{parts[0]}.{parts[1]}".encode("ascii")
    return DecodedToken(text, header, claims, signing_input, signature, url)


def verify(decoded: DecodedToken, key: SigningKey | VerifyingKey) -> bool:
    """Whether the token's RS256/384/512 signature was made by ``key``."""
    public = key.verifying_key() if isinstance(key, SigningKey) else key
    hash_name = HASHES.get(str(decoded.header.get("alg")))
    if hash_name is None:
        return False
    return verify_pkcs1(
        decoded.signing_input, decoded.signature, public.public_key, hash_name
    )


def diagnose(
    decoded: DecodedToken,
    *,
    now: float,
    key: SigningKey | VerifyingKey | None = None,
    key_id: str | None = None,
) -> list[Finding]:
    """Every reason Mux would refuse the token, then what is fine about it."""
    findings: list[Finding] = []
    header, claims = decoded.header, decoded.claims

    if header.get("alg") != "RS256":
        findings.append(
            _error("alg", f"Mux expects alg RS256, found {header.get('alg')!r}")
        )

    if key is not None:
        if verify(decoded, key):
            findings.append(Finding("ok", "signature", "The signature matches the key"))
        else:
            findings.append(
                _error(
                    "signature",
                    "The signature does not match this key: the "
                    "token was signed with a different key or altered",
                )
            )

    findings += _check_exp(claims.get("exp"), now)
    findings += _check_aud(claims.get("aud"), decoded.url)
    findings += _check_sub(claims.get("sub"), decoded.url)

    token_kid = claims.get("kid", header.get("kid"))
    if token_kid is None:
        findings.append(
            _error(
                "kid",
                "No kid in the payload or header: Mux cannot "
                "tell which signing key to check",
            )
        )
    elif key_id and token_kid != key_id:
        findings.append(
            _error("kid", f"kid is {token_kid!r}, but the signing key ID is {key_id!r}")
        )

    if decoded.url and decoded.url.extra_parameters:
        names = ", ".join(decoded.url.extra_parameters)
        findings.append(
            _error(
                "url",
                f"The URL has parameters beside the token ({names}); "
                "Mux rejects signed URLs with extra parameters: put them in "
                "the claims instead",
            )
        )
    return sorted(findings, key=lambda f: ("error", "warning", "ok").index(f.level))


def _check_exp(exp: Any, now: float) -> list[Finding]:
    if exp is None:
        return [_error("exp", "No exp claim: Mux requires an expiry")]
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        return [_error("exp", f"exp must be a number of seconds, found {exp!r}")]
    if looks_like_milliseconds(exp):
        return [_error("exp", f"exp {exp:.0f} is in milliseconds; Mux reads seconds")]
    if exp <= now:
        return [_error("exp", f"The token expired {describe_exp(exp, now=now)}")]
    return [Finding("ok", "exp", f"Expires {describe_exp(exp, now=now)}")]


def _check_aud(aud: Any, url: MuxURL | None) -> list[Finding]:
    if aud is None:
        return [_error("aud", "No aud claim: Mux needs the token type in aud")]
    known = aud in _AUD_NAMES
    if not known:
        return [
            _error(
                "aud",
                f"aud {aud!r} is no Mux token type "
                "(v, t, g, s, d, video_id, asset_id, playback_id, "
                "live_stream_id)",
            )
        ]
    if url and url.expected_aud:
        fits = aud == url.expected_aud or (
            url.expected_aud == "viewer_counts" and aud in _VIEWER_COUNT_AUDS
        )
        if not fits:
            wanted = _AUD_NAMES.get(url.expected_aud, "Viewer counts")
            message = (
                f"The token's aud is {aud!r} ({_AUD_NAMES[aud]}), but this URL takes "
                f"a {wanted} token"
            )
            return [_error("aud", message)]
    return [Finding("ok", "aud", f"Token type: {_AUD_NAMES[aud]} (aud {aud!r})")]


def _check_sub(sub: Any, url: MuxURL | None) -> list[Finding]:
    if not sub:
        return [_error("sub", "No sub claim: Mux needs the playback ID in sub")]
    if url and url.playback_id and sub != url.playback_id:
        return [
            _error("sub", f"sub is {sub!r}, but the URL is for {url.playback_id!r}")
        ]
    return []


def _from_url(text: str) -> tuple[MuxURL, str]:
    parts = urlsplit(text)
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = [name for name, _ in query]
    token_parameter = next(
        (name for name in ("token", *_PLAYER_PARAMETERS) if name in names), None
    )
    if token_parameter is None:
        raise TokenFormatError(
            "Expected a URL with ?token= (or a Mux Player token parameter), "
            "found a URL without one"
        )
    token = dict(query)[token_parameter]
    expected, playback_id = None, None
    for host, pattern, aud in _URL_KINDS:
        match = pattern.match(parts.path)
        if parts.hostname == host and match:
            expected, playback_id = aud, match.groupdict().get("id")
    if parts.hostname == "player.mux.com":
        expected = _PLAYER_PARAMETERS.get(token_parameter)
        playback_id = parts.path.strip("/") or None
        # The player page takes several tokens by design; none is "extra".
        extras = [n for n in names if n not in _PLAYER_PARAMETERS]
    else:
        extras = [n for n in names if n != token_parameter]
    url = MuxURL(text, expected, playback_id, token_parameter, tuple(extras))
    return url, token


def _b64url(part: str, name: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise TokenFormatError(
            f"Expected the {name} to be base64url, found other characters"
        ) from None


def _json_part(part: str, name: str) -> dict[str, Any]:
    raw = _b64url(part, name)
    try:
        value = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise TokenFormatError(
            f"Expected the {name} to be base64url JSON, found bytes that are not JSON"
        ) from None
    if not isinstance(value, dict):
        raise TokenFormatError(
            f"Expected the {name} to be a JSON object, found {type(value).__name__}"
        )
    return value


def _error(code: str, message: str) -> Finding:
    return Finding("error", code, message)
