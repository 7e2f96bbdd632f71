"""The ``localjwt`` command, run as a real subprocess as a person would run it."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from keyforms import KEY_ID, KeyForms


def localjwt(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m localjwt`` with only the given Mux variables set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MUX_")}
    return subprocess.run(
        [sys.executable, "-m", "localjwt", *args],
        env={**clean, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def mux_env(key: KeyForms) -> dict[str, str]:
    """The environment variables Mux's own tools read."""
    return {"MUX_SIGNING_KEY": KEY_ID, "MUX_PRIVATE_KEY": key.mux_base64}


def payload_of(token: str) -> dict[str, object]:
    part = token.split(".")[1]
    decoded: dict[str, object] = json.loads(
        base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    )
    return decoded


def assert_openssl_signed(token: str, key: KeyForms) -> None:
    """The token's signature is byte for byte the one OpenSSL makes."""
    signing_input, _, signature = token.rpartition(".")
    expected = key.openssl.sign(
        signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256()
    )
    assert signature == base64.urlsafe_b64encode(expected).rstrip(b"=").decode()


def test_sign_prints_the_signed_hls_url_by_default(
    mux_env: dict[str, str], key: KeyForms
) -> None:
    """Like ``mux sign``, the default output is the signed stream URL."""
    result = localjwt("sign", "abc123", env=mux_env)
    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    assert url.startswith("https://stream.mux.com/abc123.m3u8?token=")
    token = url.partition("?token=")[2]
    assert_openssl_signed(token, key)
    claims = payload_of(token)
    assert claims["sub"] == "abc123"
    assert claims["aud"] == "v"
    assert claims["kid"] == KEY_ID


def test_thumbnail_params_become_typed_claims(
    mux_env: dict[str, str], key: KeyForms
) -> None:
    """``-p time=12`` is signed as the number 12, not the text "12"."""
    result = localjwt(
        "sign",
        "abc123",
        "-t",
        "thumbnail",
        "-p",
        "time=12.5",
        "-p",
        "width=640",
        "--token-only",
        env=mux_env,
    )
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert_openssl_signed(token, key)
    claims = payload_of(token)
    assert claims["time"] == 12.5
    assert claims["width"] == 640
    assert claims["aud"] == "t"


def test_json_output_carries_token_urls_and_claims(mux_env: dict[str, str]) -> None:
    """``--json`` gives every URL, the claims and the expiry in words."""
    result = localjwt(
        "sign",
        "abc123",
        "-t",
        "viewer_counts",
        "--id-kind",
        "asset",
        "-e",
        "1h",
        "--json",
        env=mux_env,
    )
    document = json.loads(result.stdout)
    assert document["type"] == "viewer_counts:asset"
    assert document["payload"]["aud"] == "asset_id"
    assert document["url"].startswith("https://stats.mux.com/counts?token=")
    assert document["expires_in_words"].startswith("in 1 hour, ")


def test_player_bundle_prints_a_snippet_and_a_player_url(
    mux_env: dict[str, str], key: KeyForms
) -> None:
    """``--player --drm`` signs the four tokens Mux Player takes."""
    result = localjwt(
        "sign",
        "abc123",
        "--player",
        "--drm",
        "-p",
        "thumbnail.time=3",
        "--json",
        env=mux_env,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    tokens = document["tokens"]
    assert list(tokens) == [
        "playback-token",
        "thumbnail-token",
        "storyboard-token",
        "drm-token",
    ]
    for token in tokens.values():
        assert_openssl_signed(token, key)
    assert payload_of(tokens["thumbnail-token"])["time"] == 3
    assert document["snippet"].startswith('<mux-player\n  playback-id="abc123"')
    assert document["player_url"].startswith("https://player.mux.com/abc123?")


def test_the_key_can_come_from_a_file_or_standard_input(
    key: KeyForms, tmp_path: Path
) -> None:
    """``--private-key @FILE`` and ``--private-key -`` read the key there."""
    path = tmp_path / "key.pem"
    path.write_text(key.pkcs8_pem)
    from_file = localjwt(
        "sign",
        "abc123",
        "--key-id",
        KEY_ID,
        "--private-key",
        f"@{path}",
        "-e",
        "2030-01-01T00:00Z",
        "--token-only",
    )
    from_stdin = localjwt(
        "sign",
        "abc123",
        "--key-id",
        KEY_ID,
        "--private-key",
        "-",
        "-e",
        "2030-01-01T00:00Z",
        "--token-only",
        stdin=key.mux_base64,
    )
    assert from_file.returncode == 0, from_file.stderr
    assert from_file.stdout == from_stdin.stdout


def test_mux_api_json_supplies_the_key_id(key: KeyForms) -> None:
    """The signing-key API's JSON body carries the key ID with the key."""
    body = json.dumps({"data": {"id": "fromJSON123", "private_key": key.mux_base64}})
    result = localjwt("sign", "abc123", "--private-key", body, "--token-only")
    assert result.returncode == 0, result.stderr
    assert payload_of(result.stdout.strip())["kid"] == "fromJSON123"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-e", "1733240000000"],
            "localjwt: error (--expiration): Expected seconds, found 1733240000000, "
            "which looks like milliseconds or a timestamp; write a duration (7d) "
            "or a date (2026-12-31T18:00Z)",
        ),
        (
            ["-t", "gif", "-p", "start=1", "-p", "end=20"],
            "localjwt: error (-p end): Expected end at most 10 seconds after start, "
            "found 19 seconds",
        ),
        (
            ["-t", "thumbnail", "-p", "rotate=45"],
            "localjwt: error (-p rotate): Expected rotate to be one of 90, 180, 270, "
            "found '45'",
        ),
        (
            ["-p", "sub=other"],
            "localjwt: error (-p sub): Expected parameters other than kid, sub, aud, "
            "exp, found sub; localjwt sets those itself",
        ),
        (
            ["-t", "poster"],
            "localjwt: error (--type): Expected a token type (video, thumbnail, gif, "
            "storyboard, drm_license, viewer_counts), found 'poster'",
        ),
        (
            ["--drm"],
            "localjwt: error: Expected --drm with --player; for one DRM token use "
            "-t drm_license",
        ),
        (
            ["--params-json", "[1]"],
            "localjwt: error (--param): Expected a JSON object, found list",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_traceback(
    mux_env: dict[str, str], args: list[str], message: str
) -> None:
    """Every mistake gets one line on standard error naming the option."""
    result = localjwt("sign", "abc123", *args, env=mux_env)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"


def test_a_missing_key_says_where_to_put_one() -> None:
    """With no key anywhere, the message names both ways to give one."""
    result = localjwt("sign", "abc123")
    assert result.returncode == 2
    assert result.stderr == (
        "localjwt: error (--private-key): Expected a private key, found none: "
        "set MUX_PRIVATE_KEY or pass --private-key\n"
    )


def test_a_public_key_is_refused_without_echoing_it(key: KeyForms) -> None:
    """Pasting the public key gets a plain message that repeats none of it."""
    result = localjwt(
        "sign", "abc123", "--key-id", KEY_ID, "--private-key", key.spki_pem
    )
    assert result.returncode == 2
    assert result.stderr == (
        "localjwt: error (--private-key): Expected an RSA private key, found a "
        "public key; paste the private key Mux showed when the signing key was "
        "made\n"
    )


def test_unknown_parameters_are_signed_with_a_warning(mux_env: dict[str, str]) -> None:
    """An undocumented parameter passes, and standard error says so."""
    result = localjwt(
        "sign", "abc123", "-p", "beta_flag=1", "--token-only", env=mux_env
    )
    assert result.returncode == 0
    assert payload_of(result.stdout.strip())["beta_flag"] == "1"
    assert result.stderr == (
        "localjwt: warning: 'beta_flag' is not a documented Video parameter; "
        "it is signed as given\n"
    )


def test_decode_explains_why_mux_would_refuse_a_url(
    mux_env: dict[str, str], key: KeyForms
) -> None:
    """A thumbnail token in a stream URL with an extra parameter: two reasons."""
    token = localjwt(
        "sign", "abc123", "-t", "thumbnail", "--token-only", env=mux_env
    ).stdout.strip()
    url = f"https://stream.mux.com/abc123.m3u8?token={token}&quality=hd"
    result = localjwt("decode", url, "--key", key.spki_pem, "--json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    errors = [f["message"] for f in findings if f["level"] == "error"]
    assert errors == [
        "The token's aud is 't' (Thumbnail), but this URL takes a Video token",
        "The URL has parameters beside the token (quality); Mux rejects signed "
        "URLs with extra parameters: put them in the claims instead",
    ]
    assert {
        "level": "ok",
        "code": "signature",
        "message": "The signature matches the key",
    } in findings


def test_decode_of_a_good_token_exits_0(mux_env: dict[str, str]) -> None:
    """A fresh token in its own URL has nothing wrong with it."""
    url = localjwt("sign", "abc123", env=mux_env).stdout.strip()
    result = localjwt("decode", url, "--key-id", KEY_ID)
    assert result.returncode == 0, result.stdout
    assert "[ok] Expires in 7 days, " in result.stdout


def test_keygen_prints_a_key_that_signs(tmp_path: Path) -> None:
    """``keygen`` output, used as the environment, signs a verifiable token."""
    result = localjwt("keygen")
    assert result.returncode == 0
    lines = [line for line in result.stdout.splitlines() if "=" in line]
    env = dict(line.split("=", 1) for line in lines)
    assert set(env) == {"MUX_SIGNING_KEY", "MUX_PRIVATE_KEY"}
    assert len(env["MUX_SIGNING_KEY"]) == 45
    assert base64.b64decode(env["MUX_PRIVATE_KEY"]).startswith(
        b"-----BEGIN RSA PRIVATE KEY-----\n"
    )
    signed = localjwt("sign", "abc123", "--token-only", env=env)
    assert signed.returncode == 0, signed.stderr
    assert payload_of(signed.stdout.strip())["kid"] == env["MUX_SIGNING_KEY"]


def test_help_names_every_command() -> None:
    """``--help`` lists sign, decode, keygen and types."""
    result = localjwt("--help")
    assert result.returncode == 0
    for command in ("sign", "decode", "keygen", "types"):
        assert f"    {command}" in result.stdout
