"""Signing Mux tokens: claims, header, URLs, bundles, and OpenSSL agreement."""

from __future__ import annotations

import base64
import json
import time
import warnings
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from keyforms import KEY_ID, NOW, KeyForms

from localjwt import (
    ClaimsError,
    ExpiryError,
    KeyFormatError,
    ParameterError,
    Signer,
    UnknownParameterWarning,
    WeakKeyWarning,
    sign_playback_id,
)
from localjwt.tokens import RESERVED_CLAIMS

WEEK = 604_800
HEADER = {"alg": "RS256", "typ": "JWT"}


def b64url_decode(part: str) -> bytes:
    """Undo JWS base64url, written here rather than taken from localjwt or PyJWT."""
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def decode(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    """A compact JWS's header, payload and signature, unverified."""
    header, payload, signature = token.split(".")
    return (
        json.loads(b64url_decode(header)),
        json.loads(b64url_decode(payload)),
        b64url_decode(signature),
    )


def openssl_signs_the_same(forms: KeyForms, token: str) -> bool:
    """Whether OpenSSL's RS256 over the signing input gives the token's signature."""
    signing_input, _, signature = token.rpartition(".")
    expected = forms.openssl.sign(
        signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256()
    )
    return b64url_decode(signature) == expected


@pytest.fixture(scope="module")
def signer(key: KeyForms) -> Signer:
    """A Signer on the session key with the Mux-style key ID."""
    return Signer(key.mux_base64, KEY_ID)


def test_a_video_token_has_mux_node_sdks_exact_layout(
    key: KeyForms, signer: Signer
) -> None:
    """Header alg/typ only; claims kid, sub, aud, exp in that order; no iat."""
    signed = signer.sign("PB1", now=NOW)
    header, payload, _ = decode(signed.token)

    assert header == HEADER
    assert list(payload.items()) == [
        ("kid", KEY_ID),
        ("sub", "PB1"),
        ("aud", "v"),
        ("exp", NOW + WEEK),
    ]
    assert signed.header == header
    assert signed.claims == payload
    assert signed.exp == NOW + WEEK
    assert openssl_signs_the_same(key, signed.token)


def test_the_payload_is_compact_json(signer: Signer) -> None:
    """No spaces, like JSON.stringify in Mux's Node SDK."""
    payload = b64url_decode(signer.sign("PB1", now=NOW).token.split(".")[1])

    assert payload == (
        b'{"kid":"' + KEY_ID.encode() + b'","sub":"PB1","aud":"v","exp":1767830400}'
    )


@pytest.mark.parametrize(
    ("type_name", "aud"),
    [
        ("video", "v"),
        ("thumbnail", "t"),
        ("gif", "g"),
        ("storyboard", "s"),
        ("drm_license", "d"),
        ("stats", "video_id"),
    ],
)
def test_each_type_signs_its_aud(signer: Signer, type_name: str, aud: str) -> None:
    """aud names the token type, as Mux checks it."""
    assert decode(signer.sign("PB1", type_name, now=NOW).token)[1]["aud"] == aud


def test_viewer_count_tokens_take_their_id_kind(signer: Signer) -> None:
    """An asset ID token says asset_id in aud."""
    signed = signer.sign("ASSET1", "viewer_counts", id_kind="asset", now=NOW)

    assert signed.claims["aud"] == "asset_id"
    assert signed.url == f"https://stats.mux.com/counts?token={signed.token}"


def test_parameters_sit_under_the_reserved_claims(signer: Signer) -> None:
    """Params first, then kid, sub, aud, exp on top (jwt.signPlaybackId)."""
    signed = signer.sign(
        "PB1", "thumbnail", params={"time": "12", "width": 640}, now=NOW
    )

    assert list(signed.claims) == ["time", "width", "kid", "sub", "aud", "exp"]
    assert (signed.claims["time"], signed.claims["width"]) == (12, 640)


def test_restriction_and_custom_claims_are_included(signer: Signer) -> None:
    """playback_restriction_id and custom go in the claims as given."""
    signed = signer.sign(
        "PB1",
        playback_restriction_id="RESTRICT1",
        custom={"session_id": "abc", "tier": 2},
        now=NOW,
    )

    assert decode(signed.token)[1] == {
        "playback_restriction_id": "RESTRICT1",
        "custom": {"session_id": "abc", "tier": 2},
        "kid": KEY_ID,
        "sub": "PB1",
        "aud": "v",
        "exp": NOW + WEEK,
    }


def test_the_expiration_is_read_like_mux_tools_read_it(signer: Signer) -> None:
    """Durations, seconds and dates all land in exp."""
    assert signer.sign("PB1", expiration="90s", now=NOW).exp == NOW + 90
    assert signer.sign("PB1", expiration=3600, now=NOW).exp == NOW + 3600
    assert signer.sign("PB1", expiration="2026-01-02", now=NOW).exp == NOW + 86400


def test_an_expired_token_is_not_signed(signer: Signer) -> None:
    """A date in the past is an ExpiryError."""
    with pytest.raises(ExpiryError) as caught:
        signer.sign("PB1", expiration="2025-12-31", now=NOW)

    assert caught.value.message == (
        "Expected an expiry in the future, found 2025-12-31 00:00 UTC, 1 day ago"
    )


@pytest.mark.parametrize(
    ("type_name", "urls"),
    [
        (
            "video",
            [
                ("HLS stream", "https://stream.mux.com/PB1.m3u8?token={t}"),
                ("Mux Player page", "https://player.mux.com/PB1?playback-token={t}"),
            ],
        ),
        (
            "gif",
            [
                ("Animated GIF", "https://image.mux.com/PB1/animated.gif?token={t}"),
                ("Animated WEBP", "https://image.mux.com/PB1/animated.webp?token={t}"),
            ],
        ),
    ],
)
def test_urls_carry_only_the_token(
    signer: Signer, type_name: str, urls: list[tuple[str, str]]
) -> None:
    """A signed URL may carry nothing but the token; the player page names it."""
    signed = signer.sign("PB1", type_name, params={}, now=NOW)

    assert signed.urls == [(label, url.format(t=signed.token)) for label, url in urls]
    assert signed.url == urls[0][1].format(t=signed.token)


def test_thumbnail_parameters_stay_out_of_the_url(signer: Signer) -> None:
    """time goes in the claims; the URL has only ?token=."""
    signed = signer.sign("PB1", "thumbnail", params={"time": 5}, now=NOW)

    assert parse_qs(urlsplit(signed.url).query) == {"token": [signed.token]}


@pytest.mark.parametrize("kid_in_header", [True, False])
def test_kid_in_header_adds_kid_to_the_header_and_keeps_it_in_the_claims(
    key: KeyForms, kid_in_header: bool
) -> None:
    """Mux's Python example and older SDKs put kid in the header too."""
    signer = Signer(key.signing_key, kid_in_header=kid_in_header)
    signed = signer.sign("PB1", now=NOW)
    header, payload, _ = decode(signed.token)

    assert header == (HEADER | {"kid": KEY_ID} if kid_in_header else HEADER)
    assert signed.header == header
    assert payload["kid"] == KEY_ID
    assert openssl_signs_the_same(key, signed.token)


def test_the_key_id_argument_wins_over_the_keys_own(key: KeyForms) -> None:
    """An explicit key ID is used even if the key text carried one."""
    assert Signer(key.signing_key, " OTHER1 ").key_id == "OTHER1"
    assert Signer(key.signing_key).key_id == KEY_ID


def test_a_key_id_from_mux_json_is_used(key: KeyForms) -> None:
    """The API body carries the key ID; nothing else is needed."""
    body = json.dumps({"data": {"id": "FROMJSON1", "private_key": key.mux_base64}})

    assert Signer(body).sign("PB1", now=NOW).claims["kid"] == "FROMJSON1"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda s: s.sign("", now=NOW), "Expected a playback ID, found nothing"),
        (
            lambda s: s.sign("https://stream.mux.com/PB1.m3u8", now=NOW),
            "Expected a playback ID, found a URL; paste only the ID",
        ),
        (
            lambda s: s.sign("PB1 PB2", now=NOW),
            "Expected a playback ID of letters, digits, - and _, "
            "found 7 characters with spaces or other punctuation",
        ),
        (
            lambda s: s.sign("a" * 129, now=NOW),
            "Expected a playback ID of at most 128 characters, found 129",
        ),
        (
            lambda s: s.sign("", "viewer_counts", id_kind="live_stream", now=NOW),
            "Expected a live stream ID, found nothing",
        ),
        (
            lambda s: s.sign("PB1", playback_restriction_id="a/b", now=NOW),
            "Expected a playback restriction ID of letters, digits, - and _, "
            "found 3 characters with spaces or other punctuation",
        ),
        (
            lambda s: s.sign("PB1", custom=["not", "an", "object"], now=NOW),
            "Expected custom claims as a JSON object, found list",
        ),
    ],
)
def test_bad_ids_and_claims_are_refused(
    signer: Signer, make: Any, message: str
) -> None:
    """IDs must be bare IDs and custom must be an object."""
    with pytest.raises(ClaimsError) as caught:
        make(signer)

    assert caught.value.message == message


def test_an_id_label_reads_as_a_sentence(signer: Signer) -> None:
    """The article fits the label, and the label is not capitalised mid-sentence."""
    with pytest.raises(ClaimsError) as caught:
        signer.sign(" ", "viewer_counts", id_kind="asset", now=NOW)

    assert caught.value.message == "Expected an asset ID, found nothing"


def test_a_signer_needs_a_key_id(key: KeyForms) -> None:
    """Without a key ID Mux cannot tell which key signed."""
    with pytest.raises(ClaimsError) as caught:
        Signer(key.pkcs1_pem)

    assert caught.value.message == "Expected a signing key ID, found nothing"
    assert caught.value.field == "key_id"


def test_a_signer_refuses_a_public_key(key: KeyForms) -> None:
    """The key error from loading reaches the caller unchanged."""
    with pytest.raises(KeyFormatError, match="found a public key"):
        Signer(key.spki_pem, KEY_ID)


def test_a_weak_key_warns_once_when_the_signer_is_made(weak_key: KeyForms) -> None:
    """The warning is for the key, not for each token."""
    with pytest.warns(WeakKeyWarning):
        signer = Signer(weak_key.pkcs1_pem, KEY_ID)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        signer.sign("PB1", now=NOW)


@pytest.mark.parametrize("name", RESERVED_CLAIMS)
def test_reserved_claims_cannot_be_set_through_params(
    signer: Signer, name: str
) -> None:
    """kid, sub, aud and exp are localjwt's to set; params may not override them."""
    with pytest.raises(ClaimsError) as caught:
        signer.sign("PB1", params={name: "x"}, now=NOW)

    assert caught.value.message == (
        f"Expected parameters other than kid, sub, aud, exp, found {name}; "
        "localjwt sets those itself"
    )
    assert caught.value.field == f"params.{name}"


def test_reserved_claims_are_refused_without_a_misleading_warning(
    signer: Signer,
) -> None:
    """No "signed as given" warning for a parameter that is then refused."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ClaimsError):
            signer.sign("PB1", params={"exp": 1}, now=NOW)


def test_custom_claims_that_json_cannot_hold_are_refused(signer: Signer) -> None:
    """A set or an object in custom is a ClaimsError, not a TypeError."""
    with pytest.raises(ClaimsError):
        signer.sign("PB1", custom={"tags": {"a", "b"}}, now=NOW)


def test_unknown_params_are_signed_with_a_warning(signer: Signer) -> None:
    """Undocumented parameters reach the token as given."""
    with pytest.warns(UnknownParameterWarning):
        signed = signer.sign("PB1", params={"new_mux_thing": [1, 2]}, now=NOW)

    assert decode(signed.token)[1]["new_mux_thing"] == [1, 2]


def test_a_bad_parameter_stops_signing(signer: Signer) -> None:
    """The parameter check runs before anything is signed."""
    with pytest.raises(ParameterError) as caught:
        signer.sign("PB1", "gif", params={"start": 0, "end": 11}, now=NOW)

    assert caught.value.field == "params.end"


def test_the_player_bundle_holds_the_three_player_tokens(
    key: KeyForms, signer: Signer
) -> None:
    """Video, thumbnail and storyboard, keyed as Mux Player's attributes."""
    bundle = signer.sign_player_bundle(
        " PB1 ", params={"thumbnail": {"time": 3}}, now=NOW
    )

    assert bundle.playback_id == "PB1"
    assert list(bundle.tokens) == [
        "playback-token",
        "thumbnail-token",
        "storyboard-token",
    ]
    assert [decode(t.token)[1]["aud"] for t in bundle.tokens.values()] == [
        "v",
        "t",
        "s",
    ]
    assert bundle.tokens["thumbnail-token"].claims["time"] == 3
    assert all(openssl_signs_the_same(key, t.token) for t in bundle.tokens.values())


def test_the_player_bundle_adds_drm_when_asked(signer: Signer) -> None:
    """DRM playback needs a drm-token as well."""
    bundle = signer.sign_player_bundle("PB1", drm=True, now=NOW)

    assert list(bundle.tokens)[-1] == "drm-token"
    assert bundle.tokens["drm-token"].claims["aud"] == "d"


def test_the_player_snippet_carries_every_token(signer: Signer) -> None:
    """A <mux-player> element ready to paste."""
    bundle = signer.sign_player_bundle("PB1", now=NOW)
    tokens = {name: t.token for name, t in bundle.tokens.items()}

    assert bundle.snippet == (
        "<mux-player\n"
        '  playback-id="PB1"\n'
        f'  playback-token="{tokens["playback-token"]}"\n'
        f'  thumbnail-token="{tokens["thumbnail-token"]}"\n'
        f'  storyboard-token="{tokens["storyboard-token"]}"\n'
        "></mux-player>"
    )


def test_the_player_url_carries_every_token(signer: Signer) -> None:
    """player.mux.com takes each token as a query parameter of its name."""
    bundle = signer.sign_player_bundle("PB1", now=NOW)
    url = urlsplit(bundle.player_url)

    assert (url.scheme, url.netloc, url.path) == ("https", "player.mux.com", "/PB1")
    assert parse_qs(url.query) == {
        name: [signed.token] for name, signed in bundle.tokens.items()
    }


def test_sign_playback_id_signs_like_mux_node_sdk(key: KeyForms) -> None:
    """The one-call helper takes the key ID and key, and signs with the clock."""
    token = sign_playback_id(
        "PB1",
        key_id=KEY_ID,
        private_key=key.pkcs8_pem,
        type="thumbnail",
        expiration="1h",
        params={"time": 1},
    )
    header, payload, _ = decode(token)

    assert header == HEADER
    assert list(payload) == ["time", "kid", "sub", "aud", "exp"]
    assert payload["time"] == 1
    assert (payload["kid"], payload["sub"], payload["aud"]) == (KEY_ID, "PB1", "t")
    assert abs(payload["exp"] - 3600 - time.time()) < 60
    assert openssl_signs_the_same(key, token)


@pytest.mark.parametrize("backend", ["pure", "openssl"])
def test_both_backends_sign_identical_tokens(key: KeyForms, backend: str) -> None:
    """Only the speed differs between the pure path and OpenSSL."""
    signer = Signer(key.signing_key, backend=backend)  # type: ignore[arg-type]

    signed = signer.sign("PB1", "gif", params={"start": 1, "end": 4}, now=NOW)

    assert openssl_signs_the_same(key, signed.token)


def test_encode_signs_any_claims(key: KeyForms) -> None:
    """Signer.encode is a plain JWT signer, RS256/384/512."""
    signer = Signer(key.signing_key, kid_in_header=True)
    token = signer.encode({"hello": "wörld"}, algorithm="RS512", headers={"cty": "x"})
    header, payload, _ = decode(token)

    assert header == {"alg": "RS512", "typ": "JWT", "kid": KEY_ID, "cty": "x"}
    assert payload == {"hello": "wörld"}


# Property: whatever is asked for, the token decodes to exactly it and its
# signature is OpenSSL's, byte for byte.

ids = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
    min_size=1,
    max_size=60,
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
thumbnail_params = st.fixed_dictionaries(
    {},
    optional={
        "time": st.integers(min_value=0, max_value=10**6),
        "width": st.integers(min_value=1, max_value=4000),
        "height": st.integers(min_value=1, max_value=4000),
        "fit_mode": st.sampled_from(
            ["preserve", "stretch", "crop", "smartcrop", "pad"]
        ),
        "rotate": st.sampled_from([90, 180, 270]),
        "flip_v": st.booleans(),
        "latest": st.booleans(),
    },
)
gif_params = st.fixed_dictionaries(
    {},
    optional={
        "width": st.integers(min_value=1, max_value=640),
        "fps": st.integers(min_value=1, max_value=30),
    },
)
video_params = st.fixed_dictionaries(
    {},
    optional={
        "max_resolution": st.sampled_from(["720p", "1080p", "2160p"]),
        "redundant_streams": st.booleans(),
        "default_subtitles_lang": st.sampled_from(["en", "en-US", "fr-CA"]),
    },
)
AUDS = {
    "thumbnail": "t",
    "gif": "g",
    "video": "v",
    "storyboard": "s",
    "drm_license": "d",
    "stats": "video_id",
}
requests = st.one_of(
    st.tuples(st.just("thumbnail"), thumbnail_params),
    st.tuples(st.just("gif"), gif_params),
    st.tuples(st.just("video"), video_params),
    st.tuples(st.sampled_from(["storyboard", "drm_license", "stats"]), st.just({})),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.fixed_dictionaries(
        {
            "index": st.integers(min_value=0, max_value=3),
            "key_id": ids,
            "playback_id": ids,
            "request": requests,
            "seconds": st.integers(min_value=1, max_value=10**8),
            "custom": st.none()
            | st.dictionaries(st.text(max_size=10), json_values, max_size=4),
            "kid_in_header": st.booleans(),
        }
    )
)
def test_every_token_decodes_to_what_was_asked_and_signs_like_openssl(
    key_pool: list[KeyForms], case: dict[str, Any]
) -> None:
    """Random keys, IDs, types, params and custom claims give exactly the claims
    asked for, under the fixed header, with OpenSSL's signature."""
    index, key_id, playback_id = case["index"], case["key_id"], case["playback_id"]
    type_name, params = case["request"]
    seconds, custom, kid_in_header = (
        case["seconds"],
        case["custom"],
        case["kid_in_header"],
    )
    forms = key_pool[index]
    signer = Signer(forms.signing_key, key_id, kid_in_header=kid_in_header)

    signed = signer.sign(
        playback_id,
        type_name,
        expiration=seconds,
        params=params,
        custom=custom,
        now=NOW,
    )
    header, payload, _ = decode(signed.token)

    expected_header = HEADER | ({"kid": key_id} if kid_in_header else {})
    expected_claims = dict(params)
    if custom is not None:
        expected_claims["custom"] = custom
    expected_claims |= {
        "kid": key_id,
        "sub": playback_id,
        "aud": AUDS[type_name],
        "exp": NOW + seconds,
    }
    assert header == expected_header
    assert payload == expected_claims
    assert list(payload) == list(expected_claims)
    assert openssl_signs_the_same(forms, signed.token)
