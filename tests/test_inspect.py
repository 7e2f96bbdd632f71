"""Decoding tokens and signed URLs, and every reason Mux would refuse one."""

from __future__ import annotations

import base64
import json

import pytest
from keyforms import KEY_ID, NOW, KeyForms, make_key

from localjwt import Signer, TokenFormatError, load_verifying_key
from localjwt.export import to_jwk
from localjwt.inspect import Finding, decode, diagnose, verify


@pytest.fixture(scope="module")
def signer(key: KeyForms) -> Signer:
    return Signer(key.signing_key, KEY_ID, backend="pure")


def unsigned(claims: dict[str, object], header: dict[str, object] | None = None) -> str:
    """A token with the given parts and a meaningless signature."""

    def part(value: dict[str, object]) -> str:
        raw = json.dumps(value).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part(header or {'alg': 'RS256'})}.{part(claims)}.c2ln"


def errors(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings if f.level == "error"]


def test_a_token_decodes_to_its_header_and_claims(signer: Signer) -> None:
    """Decoding needs no key and gives back exactly what was signed."""
    signed = signer.sign("abc123", "storyboard", now=NOW)
    decoded = decode(signed.token)
    assert decoded.header == {"alg": "RS256", "typ": "JWT"}
    assert decoded.claims == signed.claims
    assert decoded.url is None


def test_a_fresh_token_in_its_own_url_has_no_errors(signer: Signer) -> None:
    """A thumbnail token in a thumbnail URL, checked with its key, is fine."""
    signed = signer.sign("abc123", "thumbnail", expiration="2h", now=NOW)
    findings = diagnose(decode(signed.url), now=NOW, key=signer.key, key_id=KEY_ID)
    assert errors(findings) == []
    assert [f.message for f in findings] == [
        "The signature matches the key",
        "Expires in 2 hours, 2026-01-01 02:00 UTC",
        "Token type: Thumbnail (aud 't')",
    ]


def test_a_token_signed_by_another_key_is_named_as_such(signer: Signer) -> None:
    """Checked against a different public key, the signature fails plainly."""
    signed = signer.sign("abc123", now=NOW)
    other = load_verifying_key(make_key().spki_pem)
    findings = diagnose(decode(signed.token), now=NOW, key=other)
    assert errors(findings) == [
        "The signature does not match this key: the token was signed with a "
        "different key or altered"
    ]


def test_verify_accepts_a_public_jwk_and_rejects_an_altered_token(
    signer: Signer, key: KeyForms
) -> None:
    """A payload changed after signing no longer matches the signature."""
    signed = signer.sign("abc123", now=NOW)
    public = load_verifying_key(json.dumps(to_jwk(signer.key)))
    assert verify(decode(signed.token), public)
    header, _, signature = signed.token.split(".")
    longer = unsigned({**signed.claims, "exp": signed.exp + 1}).split(".")[1]
    assert not verify(decode(f"{header}.{longer}.{signature}"), public)


def test_every_mux_mistake_is_spelled_out() -> None:
    """Milliseconds, a wrong kid, a sub for another video: each is said."""
    token = unsigned({"sub": "other", "aud": "v", "exp": NOW * 1000, "kid": "k1"})
    url = f"https://stream.mux.com/abc123.m3u8?token={token}"
    findings = diagnose(decode(url), now=NOW, key_id="k2")
    assert errors(findings) == [
        f"exp {NOW * 1000} is in milliseconds; Mux reads seconds",
        "sub is 'other', but the URL is for 'abc123'",
        "kid is 'k1', but the signing key ID is 'k2'",
    ]


def test_an_expired_token_says_when_it_expired() -> None:
    token = unsigned({"sub": "abc123", "aud": "t", "exp": NOW - 7200, "kid": "k"})
    assert errors(diagnose(decode(token), now=NOW)) == [
        "The token expired 2 hours ago, 2025-12-31 22:00 UTC"
    ]


def test_missing_claims_and_a_wrong_alg_are_errors() -> None:
    token = unsigned({}, header={"alg": "HS256"})
    assert errors(diagnose(decode(token), now=NOW)) == [
        "Mux expects alg RS256, found 'HS256'",
        "No exp claim: Mux requires an expiry",
        "No aud claim: Mux needs the token type in aud",
        "No sub claim: Mux needs the playback ID in sub",
        "No kid in the payload or header: Mux cannot tell which signing key to check",
    ]


def test_an_aud_that_is_no_mux_type_is_an_error() -> None:
    token = unsigned({"sub": "a", "aud": "video", "exp": NOW + 60, "kid": "k"})
    assert errors(diagnose(decode(token), now=NOW)) == [
        "aud 'video' is no Mux token type (v, t, g, s, d, video_id, asset_id, "
        "playback_id, live_stream_id)"
    ]


@pytest.mark.parametrize(
    ("url", "aud"),
    [
        ("https://image.mux.com/abc123/animated.gif", "g"),
        ("https://image.mux.com/abc123/storyboard.vtt", "s"),
        ("https://license.mux.com/license/widevine/abc123", "d"),
        ("https://license.mux.com/appcert/fairplay/abc123", "d"),
        ("https://stats.mux.com/counts", "asset_id"),
    ],
)
def test_each_mux_url_expects_its_own_token_type(url: str, aud: str) -> None:
    """The right aud in each URL passes; a video token in it does not."""
    right = unsigned({"sub": "abc123", "aud": aud, "exp": NOW + 60, "kid": "k"})
    wrong = unsigned({"sub": "abc123", "aud": "v", "exp": NOW + 60, "kid": "k"})
    assert errors(diagnose(decode(f"{url}?token={right}"), now=NOW)) == []
    assert len(errors(diagnose(decode(f"{url}?token={wrong}"), now=NOW))) == 1


def test_the_player_page_takes_several_tokens_without_complaint() -> None:
    """player.mux.com carries one token per attribute by design."""
    video = unsigned({"sub": "abc123", "aud": "v", "exp": NOW + 60, "kid": "k"})
    url = (
        f"https://player.mux.com/abc123?playback-token={video}&thumbnail-token={video}"
    )
    decoded = decode(url)
    assert decoded.url is not None
    assert decoded.url.token_parameter == "playback-token"
    assert errors(diagnose(decoded, now=NOW)) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "not a token",
            "Expected a JWT (three base64url parts joined by dots) or a Mux URL "
            "with ?token=, found text with 1 part(s)",
        ),
        (
            "https://stream.mux.com/abc.m3u8",
            "Expected a URL with ?token= (or a Mux Player token parameter), found "
            "a URL without one",
        ),
        (
            "bm90IGpzb24.e30.c2ln",
            "Expected the header to be base64url JSON, found bytes that are not JSON",
        ),
        ("WzFd.e30.c2ln", "Expected the header to be a JSON object, found list"),
    ],
)
def test_text_that_is_no_token_gets_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(TokenFormatError) as raised:
        decode(text)
    assert raised.value.message == message
    assert raised.value.field == "token"
