"""Sign Mux tokens: one token, a Mux Player bundle, or any JWT.

Claims are laid out as ``jwt.signPlaybackId`` in ``@mux/mux-node`` 14 lays
them out: the parameters first, then ``kid``, ``sub``, ``aud`` and ``exp`` on
top, header ``{"alg":"RS256","typ":"JWT"}`` and no ``iat``. ``kid`` may go in
the header as well, as Mux's Python example and older SDKs put it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from .algorithms import Backend, make_jws
from .errors import ClaimsError
from .expiry import DEFAULT_EXPIRATION, parse_expiration
from .keys import SigningKey, load_signing_key
from .mux import TokenType, check_parameters, token_type

__all__ = ["PlayerBundle", "SignedToken", "Signer", "sign_playback_id"]

RESERVED_CLAIMS = ("kid", "sub", "aud", "exp")
# The Mux Player bundle: what <mux-player> takes (Mux Player's helpers.ts).
PLAYER_TYPES = ("video", "thumbnail", "storyboard")

_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_ID_LENGTH = 128

Expiration = str | int | float | datetime


@dataclass(frozen=True)
class SignedToken:
    """A signed token, its decoded parts, and the URLs it unlocks."""

    token: str
    token_type: TokenType
    subject: str
    header: dict[str, Any]
    claims: dict[str, Any]

    @property
    def exp(self) -> int:
        """The token's ``exp``, seconds since the epoch."""
        return int(self.claims["exp"])

    @property
    def urls(self) -> list[tuple[str, str]]:
        """Each place the token goes, labelled, with ``?token=`` appended."""
        return [
            (label, f"{url}?{_query_name(url)}={self.token}")
            for label, url in self.token_type.urls(self.subject)
        ]

    @property
    def url(self) -> str:
        """The main signed URL (the HLS stream for a video token)."""
        return self.urls[0][1]


@dataclass(frozen=True)
class PlayerBundle:
    """Tokens for Mux Player, keyed by attribute, with a snippet and a URL."""

    playback_id: str
    tokens: dict[str, SignedToken]

    @property
    def snippet(self) -> str:
        """A ``<mux-player>`` element carrying every token."""
        attributes = [f'playback-id="{escape(self.playback_id)}"']
        attributes += [f'{name}="{t.token}"' for name, t in self.tokens.items()]
        inner = "\n  ".join(attributes)
        return f"<mux-player\n  {inner}\n></mux-player>"

    @property
    def player_url(self) -> str:
        """The ``player.mux.com`` page with every token in its query."""
        query = urlencode({name: t.token for name, t in self.tokens.items()})
        return f"https://player.mux.com/{quote(self.playback_id)}?{query}"


class Signer:
    """Signs tokens with one signing key.

    Reuse one Signer for many tokens: the parsed key (and, with OpenSSL, its
    key object) is kept between signatures.
    """

    def __init__(
        self,
        private_key: SigningKey | str | bytes,
        key_id: str | None = None,
        *,
        kid_in_header: bool = False,
        backend: Backend = "auto",
    ) -> None:
        key = (
            private_key
            if isinstance(private_key, SigningKey)
            else load_signing_key(private_key)
        )
        self.key = key
        self.key_id = _check_id(
            (key_id or "").strip() or key.key_id, "key_id", "signing key ID"
        )
        self.kid_in_header = kid_in_header
        self._jws = make_jws(backend)

    def sign(
        self,
        playback_id: str,
        type: str = "video",
        *,
        expiration: Expiration = DEFAULT_EXPIRATION,
        params: Mapping[str, Any] | None = None,
        playback_restriction_id: str | None = None,
        custom: Mapping[str, Any] | None = None,
        id_kind: str | None = None,
        now: float | None = None,
    ) -> SignedToken:
        """Sign one Mux token for ``playback_id`` (or the ID its type takes)."""
        kind = token_type(type, id_kind)
        subject = _check_id(
            playback_id, "playback_id", kind.id_label[0].lower() + kind.id_label[1:]
        )
        now = time.time() if now is None else now

        overridden = [name for name in RESERVED_CLAIMS if name in (params or {})]
        if overridden:
            raise ClaimsError(
                f"Expected parameters other than {', '.join(RESERVED_CLAIMS)}, "
                f"found {', '.join(overridden)}; localjwt sets those itself",
                field=f"params.{overridden[0]}",
            )
        claims = check_parameters(kind, params or {})
        if playback_restriction_id:
            claims["playback_restriction_id"] = _check_id(
                playback_restriction_id,
                "playback_restriction_id",
                "playback restriction ID",
            )
        if custom is not None:
            claims["custom"] = _check_custom(custom)
        claims |= {
            "kid": self.key_id,
            "sub": subject,
            "aud": kind.aud,
            "exp": parse_expiration(expiration, now=now),
        }

        token = self.encode(claims)
        header = {"alg": "RS256", "typ": "JWT"}
        if self.kid_in_header:
            header["kid"] = self.key_id
        return SignedToken(token, kind, subject, header, claims)

    def sign_player_bundle(
        self,
        playback_id: str,
        *,
        drm: bool = False,
        expiration: Expiration = DEFAULT_EXPIRATION,
        params: Mapping[str, Mapping[str, Any]] | None = None,
        playback_restriction_id: str | None = None,
        custom: Mapping[str, Any] | None = None,
        now: float | None = None,
    ) -> PlayerBundle:
        """Sign the video, thumbnail and storyboard tokens (and DRM) for Mux Player.

        ``params`` maps a type name to that type's parameters.
        """
        now = time.time() if now is None else now
        tokens: dict[str, SignedToken] = {}
        for name in (*PLAYER_TYPES, "drm_license") if drm else PLAYER_TYPES:
            signed = self.sign(
                playback_id,
                name,
                expiration=expiration,
                params=(params or {}).get(name),
                playback_restriction_id=playback_restriction_id,
                custom=custom,
                now=now,
            )
            tokens[signed.token_type.bundle_key] = signed
        return PlayerBundle(playback_id.strip(), tokens)

    def encode(
        self,
        claims: Mapping[str, Any],
        *,
        algorithm: str = "RS256",
        headers: Mapping[str, Any] | None = None,
    ) -> str:
        """Sign any claims as a compact JWS with this key (RS256/384/512)."""
        try:
            # allow_nan=False: NaN and Infinity are not JSON (RFC 8259 section 6).
            payload = json.dumps(
                claims, separators=(",", ":"), ensure_ascii=False, allow_nan=False
            )
        except (TypeError, ValueError) as error:
            raise ClaimsError(
                f"Expected claims that JSON can hold, found {_unjsonable(error)}",
                field="custom",
            ) from None
        extra = dict(headers or {})
        if self.kid_in_header:
            extra.setdefault("kid", self.key_id)
        # PyJWT's annotations name only cryptography's key classes; its
        # Algorithm API passes any key object through to prepare_key.
        key: Any = self.key
        return self._jws.encode(
            payload.encode("utf-8"), key, algorithm=algorithm, headers=extra
        )


def sign_playback_id(
    playback_id: str,
    *,
    key_id: str,
    private_key: SigningKey | str | bytes,
    type: str = "video",
    expiration: Expiration = DEFAULT_EXPIRATION,
    params: Mapping[str, Any] | None = None,
    now: float | None = None,
) -> str:
    """Sign one token, like ``jwt.signPlaybackId`` in Mux's Node SDK.

    For many tokens, make one :class:`Signer` and reuse it.
    """
    signer = Signer(private_key, key_id)
    signed = signer.sign(
        playback_id, type, expiration=expiration, params=params, now=now
    )
    return signed.token


def _query_name(url: str) -> str:
    # Media URLs take ?token=; the player.mux.com page takes ?playback-token=.
    return "playback-token" if url.startswith("https://player.mux.com/") else "token"


def _check_id(value: str | None, field: str, label: str) -> str:
    """An ID as Mux makes them: letters, digits, ``-`` and ``_``."""
    article = "an" if label[0] in "aeiou" else "a"
    text = (value or "").strip()
    if not text:
        raise ClaimsError(f"Expected {article} {label}, found nothing", field=field)
    if "://" in text:
        raise ClaimsError(
            f"Expected {article} {label}, found a URL; paste only the ID", field=field
        )
    if len(text) > _ID_LENGTH:
        raise ClaimsError(
            f"Expected {article} {label} of at most {_ID_LENGTH} characters, found "
            f"{len(text)}",
            field=field,
        )
    if not _ID.match(text):
        raise ClaimsError(
            f"Expected {article} {label} of letters, digits, - and _, found "
            f"{len(text)} characters with spaces or other punctuation",
            field=field,
        )
    return text


def _unjsonable(error: Exception) -> str:
    if isinstance(error, ValueError):
        return "NaN or Infinity"
    # "Object of type set is not JSON serializable": the type name only.
    words = str(error).split()
    kind = words[3] if len(words) > 3 and words[:3] == ["Object", "of", "type"] else ""
    return f"a value of type {kind}" if kind else "a value JSON cannot hold"


def _check_custom(custom: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(custom, Mapping):
        raise ClaimsError(
            f"Expected custom claims as a JSON object, found {type(custom).__name__}",
            field="custom",
        )
    return dict(custom)
