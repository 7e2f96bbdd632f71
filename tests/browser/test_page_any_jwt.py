"""Any JWT signs a free header and payload with RS384 or HS256, checked independently.

RS tokens are signed again by OpenSSL (RSASSA-PKCS1-v1_5 is deterministic, so
the signature must match byte for byte); HS tokens by Python's hmac module.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA384
from formdriver import (
    b64url,
    decode_part,
    press_and_wait,
    shared_offline_page,
    show_mode,
)
from harness import NetworkLog
from keyforms import KeyForms
from playwright.sync_api import Browser, Page, expect

SIGNED_OR_NOT = re.compile(r"^(Signed|Not signed)")
PAYLOAD = '{"sub": "service-7", "aud": "billing"}'


@pytest.fixture(scope="module")
def jwt_page(browser: Browser, built_page: Path) -> Iterator[Page]:
    """One offline page for this module, showing the Any JWT tab."""
    for tab in shared_offline_page(browser, built_page, NetworkLog()):
        show_mode(tab, "Any JWT")
        yield tab


def sign_any(
    tab: Page,
    algorithm: str,
    *,
    payload: str = PAYLOAD,
    exp: str = "1h",
    secret: str = "",
    encoding: str = "utf-8",
) -> str:
    """Fill the Any JWT form, sign, and return what the page announced."""
    tab.get_by_label("Algorithm").select_option(algorithm)
    if algorithm.startswith("HS"):
        tab.get_by_label("Secret", exact=True).fill(secret)
        tab.get_by_label("Secret encoding").select_option(encoding)
    tab.get_by_label("Header (JSON)").fill('{"kid": "k-1"}')
    tab.get_by_label("Payload (JSON)").fill(payload)
    tab.get_by_label("Add iat").check()
    tab.get_by_label("Expiry (exp)").fill(exp)
    return press_and_wait(tab, "Sign JWT", SIGNED_OR_NOT)


def signed_token(tab: Page) -> str:
    """The token in the Any JWT result."""
    return tab.locator("#jwt-results").get_by_label("Token", exact=True).input_value()


@pytest.mark.browser
def test_an_rs384_token_matches_openssls_signature_byte_for_byte(
    jwt_page: Page, key: KeyForms
) -> None:
    """The private key above signs RS384; iat is now and exp an hour on."""
    jwt_page.get_by_label("Private key", exact=True).fill(key.pkcs8_pem)
    expect(jwt_page.get_by_label("Secret", exact=True)).to_be_hidden()
    before = int(time.time())

    announced = sign_any(jwt_page, "RS384")

    header, payload, signature = signed_token(jwt_page).split(".")
    expected = key.openssl.sign(f"{header}.{payload}".encode(), PKCS1v15(), SHA384())
    claims = decode_part(payload)
    assert announced == "Signed a JWT with RS384."
    assert signature == b64url(expected)
    assert decode_part(header) == {"alg": "RS384", "typ": "JWT", "kid": "k-1"}
    assert claims["sub"] == "service-7"
    assert claims["aud"] == "billing"
    assert before <= claims["iat"] <= int(time.time())
    assert claims["exp"] == claims["iat"] + 3600


@pytest.mark.browser
@pytest.mark.parametrize("encoding", ["utf-8", "base64url"])
def test_an_hs256_token_matches_pythons_hmac_byte_for_byte(
    jwt_page: Page, encoding: str
) -> None:
    """The secret, as text or as base64url, is the HMAC key."""
    secret = b"a shared secret of 32 bytes!!!!!"
    typed = secret.decode() if encoding == "utf-8" else b64url(secret)

    sign_any(jwt_page, "HS256", secret=typed, encoding=encoding, exp="2d")

    header, payload, signature = signed_token(jwt_page).split(".")
    expected = hmac.digest(secret, f"{header}.{payload}".encode(), hashlib.sha256)
    claims = decode_part(payload)
    assert signature == base64.urlsafe_b64encode(expected).rstrip(b"=").decode()
    assert decode_part(header)["alg"] == "HS256"
    assert claims["exp"] == claims["iat"] + 2 * 86400


@pytest.mark.browser
def test_payload_json_that_does_not_parse_is_an_error_beside_it(
    jwt_page: Page,
) -> None:
    """The message sits under Payload (JSON), which keeps its text."""
    announced = sign_any(jwt_page, "HS256", payload='{"sub": ', secret="s" * 32)
    field = jwt_page.get_by_label("Payload (JSON)")

    assert announced.startswith("Not signed: Expected a JSON object")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    expect(field).to_have_value('{"sub": ')
    expect(jwt_page.locator("#jwt-payload-error")).to_be_visible()


@pytest.mark.browser
def test_an_hs_algorithm_without_a_secret_is_an_error_beside_the_secret(
    jwt_page: Page,
) -> None:
    """No secret, no token: the Secret field is marked and focused."""
    announced = sign_any(jwt_page, "HS512", secret="")

    assert announced == "Not signed: Expected an HMAC secret, found nothing"
    expect(jwt_page.get_by_label("Secret", exact=True)).to_be_focused()
    expect(jwt_page.locator("#jwt-results")).to_be_hidden()
