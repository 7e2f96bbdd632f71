"""The signing form signs every Mux token type offline, and each token verifies.

Tokens are read from the page's own result fields and checked against OpenSSL
byte for byte (see formdriver.py), never against localjwt itself.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from formdriver import (
    FIXED_EXP,
    FIXED_EXPIRY,
    PLAYBACK_ID,
    Form,
    fill,
    shared_offline_page,
    sign,
    tokens_on_page,
    verify,
)
from harness import NetworkLog, wait_until_booted
from keyforms import KEY_ID, KeyForms
from playwright.sync_api import Browser, Page, expect

SEVEN_DAYS = 7 * 24 * 3600


class Case(NamedTuple):
    """One token type to sign, what to type for it, and the aud Mux expects."""

    token_type: str
    aud: str
    id_kind: str = ""
    params: tuple[tuple[str, str], ...] = ()


CASES = [
    Case("video", "v"),
    Case("thumbnail", "t", params=(("time", "12.5"), ("width", "640"))),
    Case("gif", "g"),
    Case("storyboard", "s"),
    Case("drm_license", "d"),
    Case("viewer_counts", "asset_id", id_kind="asset"),
]


@pytest.fixture(scope="module")
def module_network_log() -> NetworkLog:
    """The requests of the page shared by this module's signing tests."""
    return NetworkLog()


@pytest.fixture(scope="module")
def signing_page(
    browser: Browser, built_page: Path, module_network_log: NetworkLog
) -> Iterator[Page]:
    """One offline page for the signing tests: each fills in the whole form."""
    yield from shared_offline_page(browser, built_page, module_network_log)


@pytest.mark.browser
@pytest.mark.parametrize("case", CASES, ids=[case.token_type for case in CASES])
def test_each_token_type_signs_offline_and_verifies_byte_for_byte(
    signing_page: Page,
    module_network_log: NetworkLog,
    built_page: Path,
    key: KeyForms,
    case: Case,
) -> None:
    """Offline from file://, the form signs a token that OpenSSL agrees with.

    The payload names the playback ID, the type's aud, the key ID and an exp
    seven days out, and the browser asked for nothing but the file itself.
    """
    form = Form(
        private_key=key.mux_base64,
        token_type=case.token_type,
        id_kind=case.id_kind,
        params=dict(case.params),
    )
    fill(signing_page, form)
    before = int(time.time())
    announced = sign(signing_page)
    after = int(time.time())

    [(signed_type, token)] = tokens_on_page(signing_page).items()
    header, payload = verify(token, key)

    assert announced.startswith("Signed a ")
    assert "expires in 7 days" in announced
    assert signed_type.partition(":")[0] == case.token_type
    assert header == {"alg": "RS256", "typ": "JWT"}
    assert payload["sub"] == PLAYBACK_ID
    assert payload["aud"] == case.aud
    assert payload["kid"] == KEY_ID
    assert before + SEVEN_DAYS - 1 <= payload["exp"] <= after + SEVEN_DAYS + 1
    for name, value in case.params:
        assert payload[name] == float(value)
    assert module_network_log.requested == [built_page.as_uri()]
    assert module_network_log.reached_network == []


@pytest.mark.browser
def test_a_player_bundle_with_drm_signs_four_tokens_that_verify(
    signing_page: Page,
    module_network_log: NetworkLog,
    built_page: Path,
    key: KeyForms,
) -> None:
    """The bundle signs playback, thumbnail, storyboard and DRM, plus a snippet.

    Thumbnail parameters typed in bundle mode go into the thumbnail token only.
    """
    fill(signing_page, Form(private_key=key.mux_base64, bundle=True, drm=True))
    thumbnail = signing_page.get_by_role("group", name="Thumbnail parameters")
    thumbnail.get_by_label("time", exact=True).fill("3")
    announced = sign(signing_page)

    tokens = tokens_on_page(signing_page)
    payloads = {name: verify(token, key)[1] for name, token in tokens.items()}
    player = signing_page.locator(".result[data-type=player]")
    snippet = player.get_by_label("Snippet").input_value()

    assert announced.startswith("Signed 4 tokens for Mux Player")
    assert {name: p["aud"] for name, p in payloads.items()} == {
        "video": "v",
        "thumbnail": "t",
        "storyboard": "s",
        "drm_license": "d",
    }
    assert all(p["sub"] == PLAYBACK_ID for p in payloads.values())
    assert payloads["thumbnail"]["time"] == 3
    assert "time" not in payloads["video"]
    assert snippet.startswith("<mux-player")
    assert f'playback-token="{tokens["video"]}"' in snippet
    assert f'drm-token="{tokens["drm_license"]}"' in snippet
    assert module_network_log.requested == [built_page.as_uri()]


@pytest.mark.browser
def test_the_copy_button_puts_the_token_on_the_clipboard(
    signing_page: Page, key: KeyForms
) -> None:
    """Copy token writes the token to the system clipboard and says "Copied".

    Writing needs no permission after a click (user activation is enough);
    reading it back does, so the test grants clipboard-read to the context.
    """
    signing_page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    fill(signing_page, Form(private_key=key.mux_base64))
    sign(signing_page)
    token = tokens_on_page(signing_page)["video"]
    # The button's name changes while it says "Copied", so find it by its text.
    button = signing_page.get_by_role("button").filter(
        has_text=re.compile(r"^(Copy token|Copied)$")
    )

    button.click()

    expect(button).to_have_text("Copied")
    assert signing_page.evaluate("() => navigator.clipboard.readText()") == token
    expect(button).to_have_text("Copy token", timeout=4000)


@pytest.mark.browser
def test_pasting_the_json_of_muxs_signing_key_api_fills_the_key_id(
    offline_page: Page, key: KeyForms
) -> None:
    """The whole JSON body of POST /system/v1/signing-keys is a key and its ID.

    The hint under the field says what was pasted, and the token signs.
    """
    body = (
        '{"data": {"private_key": "' + key.mux_base64 + '", "id": "' + KEY_ID + '",'
        ' "created_at": "1712345678"}}'
    )
    key_id = offline_page.get_by_label("Signing key ID")

    offline_page.get_by_label("Private key", exact=True).fill(body)

    expect(key_id).to_have_value(KEY_ID)
    expect(offline_page.locator("#private-key-hint")).to_have_text(
        "Mux signing-key JSON, 2048-bit"
    )
    offline_page.locator("#playback-id").fill(PLAYBACK_ID)
    sign(offline_page)
    _, payload = verify(tokens_on_page(offline_page)["video"], key)
    assert payload["kid"] == KEY_ID


@pytest.mark.browser
def test_the_page_served_over_http_signs_the_same_bytes_as_from_disk(
    signing_page: Page, browser: Browser, served_page_url: str, key: KeyForms
) -> None:
    """Same key, same claims, a fixed expiry: the two pages give the same token."""
    form = Form(private_key=key.mux_base64, expiration=FIXED_EXPIRY)
    fill(signing_page, form)
    sign(signing_page)
    from_disk = tokens_on_page(signing_page)["video"]

    context = browser.new_context()
    try:
        served = context.new_page()
        served.goto(served_page_url)
        wait_until_booted(served)
        fill(served, form)
        sign(served)
        from_server = tokens_on_page(served)["video"]
    finally:
        context.close()

    assert from_server == from_disk
    assert verify(from_disk, key)[1]["exp"] == FIXED_EXP
