"""Generate a test key: made in the page, it fills the form and its public key verifies.

The public key the page offers is loaded by ``cryptography`` (PEM) or built
from the JWK's n and e, and checks a Mux token the page signs with it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from formdriver import PLAYBACK_ID, decode_part, sign, tokens_on_page
from harness import NetworkLog
from keyforms import KEY_ID, KeyForms
from playwright.sync_api import Page, expect


def integer(value: str) -> int:
    """A JWK's base64url big-endian integer (RFC 7518, section 6.3.1)."""
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))


def generate(tab: Page) -> None:
    """Press Generate a test key and wait until a new key is in the form."""
    before = tab.get_by_label("Private key", exact=True).input_value()
    button = tab.locator("#generate-key")
    button.click()
    # The button is disabled while a key is made; an announcement alone
    # could be the one left by an earlier key.
    expect(button).to_be_enabled()
    expect(tab.get_by_label("Private key", exact=True)).not_to_have_value(before)
    expect(tab.locator("#announce")).to_have_text(
        "Generated a test key: Mux does not know it."
    )


@pytest.mark.browser
def test_a_test_key_fills_the_form_and_signs_tokens_its_public_key_verifies(
    offline_page: Page,
) -> None:
    """The key ID is made up, the key is in Mux's base64 form, and both halves agree.

    A notice says Mux does not know the key; the PEM and the JWK it offers
    each verify the Mux token signed with it.
    """
    generate(offline_page)
    key_id = offline_page.get_by_label("Signing key ID").input_value()
    private_key = offline_page.get_by_label("Private key", exact=True).input_value()
    pem = offline_page.get_by_label("Public key (PEM)").input_value()
    jwk = json.loads(offline_page.get_by_label("Public key (JWK)").input_value())

    offline_page.locator("#playback-id").fill(PLAYBACK_ID)
    sign(offline_page)
    token = tokens_on_page(offline_page)["video"]
    header, payload, signature = token.split(".")
    signing_input = f"{header}.{payload}".encode()
    raw_signature = base64.urlsafe_b64decode(signature + "==")
    from_jwk = RSAPublicNumbers(integer(jwk["e"]), integer(jwk["n"])).public_key()

    assert len(key_id) == 45
    assert base64.b64decode(private_key).startswith(b"-----BEGIN RSA PRIVATE KEY")
    expect(offline_page.locator("#test-key")).to_contain_text("Mux does not know it")
    expect(offline_page.locator("#private-key-hint")).to_contain_text("2048-bit")
    assert jwk["kty"] == "RSA"
    assert decode_part(payload)["kid"] == key_id
    load_pem_public_key(pem.encode()).verify(
        raw_signature, signing_input, PKCS1v15(), SHA256()
    )
    from_jwk.verify(raw_signature, signing_input, PKCS1v15(), SHA256())


@pytest.mark.browser
def test_the_public_key_downloads_from_a_blob_link_from_file_urls(
    offline_page: Page,
) -> None:
    """From file:// and under the page's policy, the download link works."""
    generate(offline_page)
    pem = offline_page.get_by_label("Public key (PEM)").input_value()

    with offline_page.expect_download() as download:
        offline_page.get_by_role("link", name="Download the PEM").click()

    assert download.value.suggested_filename == "localjwt-test-key.pub.pem"
    assert download.value.path().read_text() == pem


@pytest.mark.browser
def test_the_key_a_test_key_replaced_can_be_put_back(
    offline_page: Page, key: KeyForms
) -> None:
    """A pasted key is not lost: "Put back the key I had" restores it and its ID."""
    offline_page.get_by_label("Signing key ID").fill(KEY_ID)
    offline_page.get_by_label("Private key", exact=True).fill(key.mux_base64)
    generate(offline_page)
    generate(offline_page)

    offline_page.get_by_role("button", name="Put back the key I had").click()

    expect(offline_page.get_by_label("Signing key ID")).to_have_value(KEY_ID)
    expect(offline_page.get_by_label("Private key", exact=True)).to_have_value(
        key.mux_base64
    )
    expect(offline_page.locator("#test-key")).to_be_hidden()


@pytest.mark.browser
def test_generating_a_key_asks_nothing_of_the_network(
    open_offline_page: Callable[..., Page], network_log: NetworkLog
) -> None:
    """WebCrypto and Python make the key: the page requests nothing new."""
    tab = open_offline_page()
    before = list(network_log.requested)

    generate(tab)

    assert network_log.requested == before
    assert network_log.reached_network == []
