"""Inspect decodes a token or signed URL, checks it, and says why Mux would refuse it.

Tokens to inspect are signed here by OpenSSL, or by the page's own Mux form.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from formdriver import (
    PLAYBACK_ID,
    Form,
    fill,
    findings,
    inspect,
    make_token,
    shared_offline_page,
    sign,
)
from harness import NetworkLog
from keyforms import KEY_ID, KeyForms, make_key
from playwright.sync_api import Browser, Page, expect

DIFFERENT_KEY = (
    "✗ Error: The signature does not match this key: the token was signed with "
    "a different key or altered"
)
MATCHES = "✓ OK: The signature matches the key"


@pytest.fixture(scope="module")
def inspect_page(browser: Browser, built_page: Path) -> Iterator[Page]:
    """One offline page for this module's inspections."""
    yield from shared_offline_page(browser, built_page, NetworkLog())


def claims(**changes: object) -> dict[str, object]:
    """A video token's claims, an hour from expiry, with ``changes`` applied."""
    base: dict[str, object] = {
        "sub": PLAYBACK_ID,
        "aud": "v",
        "exp": int(time.time()) + 3600,
        "kid": KEY_ID,
    }
    return {**base, **changes}


@pytest.mark.browser
def test_a_token_signed_in_the_page_checks_against_the_pasted_key(
    inspect_page: Page, key: KeyForms
) -> None:
    """ "Inspect this token" under a Mux result opens Inspect and finds no fault.

    The public-key field is empty, so the pasted private key checks the
    signature; the URL it inspects fits the token's aud and sub.
    """
    fill(inspect_page, Form(private_key=key.mux_base64))
    sign(inspect_page)

    inspect_page.get_by_role("button", name="Inspect the Video token").click()

    expect(inspect_page.get_by_role("tab", name="Inspect")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(inspect_page.locator("#announce")).to_have_text(
        "Inspected: no reason for Mux to refuse it."
    )
    assert MATCHES in findings(inspect_page)
    assert not [text for text in findings(inspect_page) if text.startswith("✗")]
    expect(inspect_page.locator("#inspect-payload + pre")).to_contain_text(KEY_ID)


@pytest.mark.browser
def test_a_token_signed_by_a_different_key_says_so_plainly(
    inspect_page: Page, key: KeyForms
) -> None:
    """A public key that did not sign the token gives the error first."""
    other = make_key()
    token = make_token(key, claims())

    announced = inspect(inspect_page, token, public_key=other.spki_pem)

    assert announced == "Inspected: 1 problem."
    assert findings(inspect_page)[0] == DIFFERENT_KEY
    assert MATCHES not in findings(inspect_page)


@pytest.mark.browser
def test_the_right_public_key_as_pem_matches_the_signature(
    inspect_page: Page, key: KeyForms
) -> None:
    """The signer's public key, pasted as PEM, matches."""
    inspect(inspect_page, make_token(key, claims()), public_key=key.spki_pem)

    assert MATCHES in findings(inspect_page)


@pytest.mark.browser
def test_an_expired_token_is_an_error_and_counts_up_since_expiry(
    inspect_page: Page, key: KeyForms
) -> None:
    """Expired three minutes ago: the finding says so, and so does the countdown."""
    token = make_token(key, claims(exp=int(time.time()) - 180))

    inspect(inspect_page, token, public_key=key.spki_pem)

    assert findings(inspect_page)[0].startswith(
        "✗ Error: The token expired 3 minutes ago, "
    )
    expect(inspect_page.locator("#countdown")).to_have_text(
        re.compile(r"^Expired 3 m \d+ s ago$")
    )


@pytest.mark.browser
def test_an_exp_in_milliseconds_is_named_and_has_no_countdown(
    inspect_page: Page, key: KeyForms
) -> None:
    """exp in milliseconds is the error, and the countdown does not pretend."""
    exp_ms = (int(time.time()) + 3600) * 1000
    token = make_token(key, claims(exp=exp_ms))

    inspect(inspect_page, token, public_key=key.spki_pem)

    assert f"✗ Error: exp {exp_ms} is in milliseconds; Mux reads seconds" in findings(
        inspect_page
    )
    expect(inspect_page.locator("#countdown")).to_have_text(
        "No countdown: exp is in milliseconds."
    )


@pytest.mark.browser
def test_a_url_with_an_extra_parameter_and_the_wrong_aud_lists_both(
    inspect_page: Page, key: KeyForms
) -> None:
    """A video token in a thumbnail URL beside ?time=: two errors, in words."""
    token = make_token(key, claims())
    url = f"https://image.mux.com/{PLAYBACK_ID}/thumbnail.jpg?token={token}&time=3"

    announced = inspect(inspect_page, url, public_key=key.spki_pem)
    found = findings(inspect_page)

    assert announced == "Inspected: 2 problems."
    assert (
        "✗ Error: The token's aud is 'v' (Video), but this URL takes a Thumbnail "
        "token" in found
    )
    assert (
        "✗ Error: The URL has parameters beside the token (time); Mux rejects "
        "signed URLs with extra parameters: put them in the claims instead" in found
    )


@pytest.mark.browser
def test_a_kid_unlike_the_signing_key_id_is_an_error(
    inspect_page: Page, key: KeyForms
) -> None:
    """The key ID in the form is what the token's kid is compared with."""
    inspect_page.get_by_label("Signing key ID").fill(KEY_ID)
    token = make_token(key, claims(kid="another-key-id"))

    inspect(inspect_page, token, public_key=key.spki_pem)

    assert (
        f"✗ Error: kid is 'another-key-id', but the signing key ID is '{KEY_ID}'"
        in findings(inspect_page)
    )


@pytest.mark.browser
def test_the_countdown_changes_every_second(inspect_page: Page, key: KeyForms) -> None:
    """A token with days left shows days to seconds, and it moves on.

    With no key pasted at all, the signature is said to be unchecked.
    """
    inspect_page.get_by_label("Private key", exact=True).fill("")
    token = make_token(key, claims(exp=int(time.time()) + 7 * 86400))
    inspect(inspect_page, token)
    countdown = inspect_page.locator("#countdown")
    first = countdown.text_content()

    inspect_page.wait_for_timeout(1500)

    assert re.fullmatch(r"Expires in 6 d 23 h 59 m \d+ s", first or "")
    expect(countdown).not_to_have_text(first or "")
    assert "? Not checked: the signature, as no key was given" in findings(inspect_page)


@pytest.mark.browser
def test_text_that_is_no_token_is_an_error_beside_the_field(
    inspect_page: Page,
) -> None:
    """The message sits under the token field, which is marked and focused."""
    announced = inspect(inspect_page, "not a token")
    field = inspect_page.get_by_label("Token or signed URL")

    assert announced.startswith("Not inspected: Expected")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    expect(inspect_page.locator("#inspect-token-error")).to_have_text(
        announced.removeprefix("Not inspected: ")
    )
    expect(inspect_page.locator("#inspect-results")).to_be_hidden()
    expect(field).to_have_value("not a token")
