"""The page's bridge: JSON in, JSON out, errors tied to the form's fields."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from keyforms import KEY_ID, NOW, KeyForms, make_key

from localjwt import web


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def call(op: str, **args: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(web.handle(json.dumps({"op": op, **args})))
    return answer


def test_describe_lists_every_type_with_its_parameters() -> None:
    """The page builds its form from this, so parameters live only in Python."""
    result = call("describe")["result"]
    names = [t["name"] for t in result["types"]]
    assert names == [
        "video",
        "thumbnail",
        "gif",
        "storyboard",
        "drm_license",
        "viewer_counts",
    ]
    gif = result["types"][2]
    fps = next(p for p in gif["params"] if p["name"] == "fps")
    assert fps == {
        "name": "fps",
        "kind": "integer",
        "help": "Frames per second",
        "min": 1,
        "max": 30,
        "choices": [],
    }
    kinds = [k["name"] for k in result["types"][5]["id_kinds"]]
    assert kinds == ["video", "asset", "playback", "live_stream"]
    assert result["default_expiration"] == "7d"


def test_sign_answers_with_token_urls_and_expiry_in_words(key: KeyForms) -> None:
    answer = call(
        "sign",
        key_id=KEY_ID,
        private_key=key.mux_base64,
        type="gif",
        playback_id="abc123",
        expiration="7d",
        params={"start": "2", "end": ""},
        now=NOW,
    )
    assert answer["ok"] is True
    (token,) = answer["result"]["tokens"]
    assert token["payload"] == {
        "start": 2,
        "kid": KEY_ID,
        "sub": "abc123",
        "aud": "g",
        "exp": NOW + 604800,
    }
    assert token["expires"]["words"] == "in 7 days, 2026-01-08 00:00 UTC"
    assert token["urls"][0]["url"].startswith(
        "https://image.mux.com/abc123/animated.gif?token=eyJ"
    )
    assert answer["result"]["player"] is None


def test_a_bundle_answers_with_the_player_snippet(key: KeyForms) -> None:
    answer = call(
        "sign",
        key_id=KEY_ID,
        private_key=key.pkcs1_pem,
        playback_id="abc123",
        bundle=True,
        drm=True,
        bundle_params={"thumbnail": {"time": "4"}},
        now=NOW,
    )
    result = answer["result"]
    assert [t["name"] for t in result["tokens"]] == [
        "playback-token",
        "thumbnail-token",
        "storyboard-token",
        "drm-token",
    ]
    assert result["tokens"][1]["payload"]["time"] == 4
    assert 'drm-token="eyJ' in result["player"]["snippet"]


def test_errors_name_the_field_to_show_them_beside(key: KeyForms) -> None:
    """Each mistake is tied to its input, and never repeats the key."""
    bad_key = call("sign", key_id=KEY_ID, private_key="{oops", playback_id="a")
    assert bad_key == {
        "ok": False,
        "error": {
            "field": "private_key",
            "message": "Expected an RSA private key, found JSON that does not parse "
            "(line 1, column 2)",
        },
    }
    base = {"key_id": KEY_ID, "private_key": key.mux_base64, "playback_id": "a"}
    bad_json = call("sign", **base, custom="{'a': 1}")
    assert bad_json["error"] == {
        "field": "custom",
        "message": "Expected custom claims as a JSON object, found JSON that does "
        "not parse (line 1, column 2)",
    }
    past = call("sign", **base, expiration="2020-01-01", now=NOW)
    assert past["error"] == {
        "field": "expiration",
        "message": "Expected an expiry in the future, found 2020-01-01 00:00 UTC, "
        "6 years ago",
    }
    bad_param = call("sign", **base, type="thumbnail", params={"width": "wide"})
    assert bad_param["error"] == {
        "field": "params.width",
        "message": "Expected width to be a whole number of at least 1, found 'wide'",
    }
    no_id = call("sign", key_id="", private_key=key.mux_base64, playback_id="a")
    assert no_id["error"] == {
        "field": "key_id",
        "message": "Expected a signing key ID, found nothing",
    }


def test_unknown_parameters_come_back_as_warnings(key: KeyForms) -> None:
    answer = call(
        "sign",
        key_id=KEY_ID,
        private_key=key.mux_base64,
        playback_id="a",
        params={"colour": "red"},
        now=NOW,
    )
    assert answer["result"]["warnings"] == [
        {
            "field": "params.colour",
            "message": "'colour' is not a documented Video parameter; it is signed as "
            "given",
        }
    ]


def test_inspect_key_reports_the_form_and_the_key_id(key: KeyForms) -> None:
    body = json.dumps({"data": {"id": "abcID", "private_key": key.mux_base64}})
    result = call("inspect_key", private_key=body)["result"]
    assert result == {
        "form": "Mux signing-key JSON",
        "bits": 2048,
        "key_id": "abcID",
        "warnings": [],
    }


def test_clear_key_forgets_the_parsed_key(key: KeyForms) -> None:
    call("inspect_key", private_key=key.pkcs8_pem)
    assert web._key_cache
    assert call("clear_key")["result"]["cleared"] is True
    assert not web._key_cache


def test_an_unknown_op_and_broken_json_still_get_an_answer() -> None:
    assert call("launch")["error"] == {
        "field": None,
        "message": "Expected a known op, found 'launch'",
    }
    answer = json.loads(web.handle("{not json"))
    assert answer == {
        "ok": False,
        "error": {
            "field": None,
            "message": "Internal error (JSONDecodeError); please report it",
        },
    }


def test_inspect_token_checks_the_signature_and_explains(key: KeyForms) -> None:
    """Checked with its public key it passes; with a stranger's it is named."""
    public_pem = call("public_key", private_key=key.pkcs8_pem)["result"]["pem"]
    signed = call(
        "sign",
        key_id=KEY_ID,
        private_key=key.mux_base64,
        playback_id="abc123",
        now=NOW,
    )["result"]["tokens"][0]
    url = signed["urls"][0]["url"]
    good = call(
        "inspect_token",
        token=url,
        public_key=public_pem,
        key_id=KEY_ID,
        now=NOW,
    )["result"]
    assert good["signature_checked"] is True
    assert [f["level"] for f in good["findings"]] == ["ok", "ok", "ok"]
    assert good["url"] == {
        "expected_aud": "v",
        "playback_id": "abc123",
        "extra_parameters": [],
    }
    stranger = make_key().pkcs1_pem
    bad = call("inspect_token", token=url, private_key=stranger, now=NOW)["result"]
    assert bad["findings"][0] == {
        "level": "error",
        "code": "signature",
        "message": "The signature does not match this key: the token was signed "
        "with a different key or altered",
    }


def test_sign_jwt_signs_free_claims_with_timed_claims() -> None:
    answer = call(
        "sign_jwt",
        algorithm="HS256",
        secret="s" * 32,
        header='{"kid": "x"}',
        payload='{"sub": "me"}',
        iat=True,
        exp="1h",
        now=NOW,
    )
    result = answer["result"]
    assert result["header"] == {"alg": "HS256", "kid": "x", "typ": "JWT"}
    assert result["payload"] == {"sub": "me", "iat": NOW, "exp": NOW + 3600}
    bad = call("sign_jwt", algorithm="HS256", secret="s" * 32, payload="[1]")
    assert bad["error"] == {
        "field": "payload",
        "message": "Expected a JSON object, found list",
    }


def test_test_key_gives_a_mux_style_key_that_signs(key: KeyForms) -> None:
    """A generated key comes back in Mux's format with its public halves."""
    result = call("test_key", pkcs8=key.pkcs8_pem)["result"]
    assert len(result["key_id"]) == 45
    assert result["public_pem"] == key.spki_pem
    assert result["public_jwk"]["kid"] == result["key_id"]
    signed = call(
        "sign",
        key_id=result["key_id"],
        private_key=result["private_key"],
        playback_id="abc123",
    )
    assert signed["ok"] is True
    public = call("public_key", private_key=result["private_key"])["result"]
    assert public["pem"] == key.spki_pem


def test_inspect_errors_point_at_the_public_key_field(key: KeyForms) -> None:
    """An unreadable public key is shown beside the public-key field."""
    token = call("sign", key_id=KEY_ID, private_key=key.mux_base64, playback_id="a")[
        "result"
    ]["tokens"][0]["token"]
    answer = call("inspect_token", token=token, public_key="not a key")
    assert answer["error"]["field"] == "public_key"


def test_sign_jwt_errors_name_nbf_apart_from_exp() -> None:
    answer = call("sign_jwt", algorithm="HS256", secret="s" * 32, nbf="soon")
    assert answer["error"]["field"] == "nbf"


def test_the_page_may_sign_and_python_checks_and_finishes(key: KeyForms) -> None:
    """Two calls: Python names the signing inputs, the page signs, Python ends.

    OpenSSL stands in for the page's WebCrypto here; the tokens are the ones
    Python alone signs, byte for byte.
    """
    request = {
        "key_id": KEY_ID,
        "private_key": key.mux_base64,
        "playback_id": "abc123",
        "bundle": True,
        "now": NOW,
    }
    pending = call("sign", **request, page_signs=True)["result"]["to_sign"]
    assert pending["now"] == NOW
    assert [item["hash"] for item in pending["inputs"]] == ["SHA-256"] * 3
    page_key = serialization.load_der_private_key(
        base64.b64decode(pending["pkcs8"]), password=None
    )
    assert page_key.private_numbers() == key.openssl.private_numbers()

    signatures = {
        item["input"]: b64url(
            key.openssl.sign(
                item["input"].encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        )
        for item in pending["inputs"]
    }
    finished = call("sign", **request, page_signs=True, signatures=signatures)
    alone = call("sign", **request)
    assert finished == alone
    assert "to_sign" not in finished["result"]


def test_a_page_that_has_the_key_is_not_sent_it_again(key: KeyForms) -> None:
    request = {"key_id": KEY_ID, "private_key": key.mux_base64, "playback_id": "a"}
    first = call("sign", **request, page_signs=True)["result"]["to_sign"]
    known = [f"{first['key_ref']} SHA-256"]
    again = call("sign", **request, page_signs=True, page_keys=known)
    assert again["result"]["to_sign"]["pkcs8"] is None


def test_hmac_tokens_never_ask_the_page() -> None:
    answer = call("sign_jwt", algorithm="HS256", secret="s" * 32, page_signs=True)
    assert "token" in answer["result"]
