"""A share link and remembered settings restore the Mux form, and hold no key.

Each link is opened in a fresh browser context; remembered settings are read
back after a reload in the same one, where file:// pages share localStorage.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from formdriver import PLAYBACK_ID, Form, fill, parameters
from harness import wait_until_booted
from keyforms import KEY_ID, KeyForms
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

SETTINGS = Form(
    token_type="thumbnail",
    expiration="3d",
    custom='{"session": "s-9"}',
    params={"time": "12.5"},
)
SAVED = "() => localStorage.getItem('localjwt.settings')"
SAVED_AFTER_TYPING = (
    "() => (localStorage.getItem('localjwt.settings') ?? '').includes('s-9')"
)


@pytest.fixture
def open_at(browser: Browser, built_page: Path) -> Iterator[Callable[[str], Page]]:
    """Open the page from disk at a URL (with a fragment) in a fresh context."""
    page_url = built_page.as_uri()
    contexts: list[BrowserContext] = []

    def refuse(route: Route) -> None:
        if route.request.url == page_url:
            route.continue_()
        else:
            route.abort()

    def open_page(url: str) -> Page:
        context = browser.new_context()
        contexts.append(context)
        context.route("**/*", refuse)
        tab = context.new_page()
        tab.goto(url)
        wait_until_booted(tab)
        return tab

    yield open_page
    for context in contexts:
        context.close()


def fill_settings(tab: Page, key: KeyForms) -> None:
    """The key in full, and settings worth sharing."""
    fill(tab, Form(**{**SETTINGS.__dict__, "private_key": key.mux_base64}))
    tab.get_by_label("Playback restriction ID").fill("restriction-1")
    parameters(tab, "thumbnail").get_by_label("fit_mode").select_option("pad")


def share_link(tab: Page) -> str:
    """Press Copy share link and return the link the page shows."""
    tab.get_by_role("button", name="Copy share link").click()
    return tab.get_by_label("Share link").input_value()


def assert_restored(tab: Page) -> None:
    """The fields hold SETTINGS, and no key."""
    expect(tab.get_by_label("Token type")).to_have_value("thumbnail")
    expect(tab.locator("#playback-id")).to_have_value(PLAYBACK_ID)
    expect(tab.get_by_label("Expires in")).to_have_value("3d")
    expect(tab.get_by_label("Custom claims")).to_have_value('{"session": "s-9"}')
    expect(tab.get_by_label("Playback restriction ID")).to_have_value("restriction-1")
    thumbnail = parameters(tab, "thumbnail")
    expect(thumbnail.get_by_label("time", exact=True)).to_have_value("12.5")
    expect(thumbnail.get_by_label("fit_mode", exact=True)).to_have_value("pad")
    expect(tab.get_by_label("Private key", exact=True)).to_have_value("")


def holds_key(text: str, key: KeyForms) -> bool:
    """Whether ``text`` repeats any 16-character run of the key's forms."""
    return any(window in text for window in key.secret_windows())


@pytest.mark.browser
def test_a_share_link_restores_the_settings_and_holds_no_key_material(
    offline_page: Page, open_at: Callable[[str], Page], key: KeyForms
) -> None:
    """Opened in a fresh context, the link fills the form but not the key.

    Neither the link nor its decoded settings hold a run of the key, nor the
    key ID, which was not asked for.
    """
    fill_settings(offline_page, key)

    link = share_link(offline_page)
    shared = open_at(link)

    decoded = unquote(link) + json.dumps(shared.evaluate("() => location.hash"))
    assert link.startswith(offline_page.url.split("#")[0] + "#s=")
    assert not holds_key(decoded, key)
    assert KEY_ID not in decoded
    assert_restored(shared)
    expect(shared.get_by_label("Signing key ID")).to_have_value("")
    expect(shared.locator("#settings-note")).to_have_text(
        "Settings restored from the link."
    )


@pytest.mark.browser
def test_the_key_id_goes_in_the_link_only_when_asked(
    offline_page: Page, open_at: Callable[[str], Page], key: KeyForms
) -> None:
    """With "Include the key ID in the link" on, the link restores the key ID."""
    fill_settings(offline_page, key)
    offline_page.get_by_label("Include the key ID in the link").check()

    shared = open_at(share_link(offline_page))

    expect(shared.get_by_label("Signing key ID")).to_have_value(KEY_ID)
    expect(shared.get_by_label("Include the key ID in the link")).to_be_checked()
    assert_restored(shared)


@pytest.mark.browser
def test_a_garbled_link_changes_nothing_and_says_so(
    built_page: Path, open_at: Callable[[str], Page]
) -> None:
    """Settings that do not decode leave the form as it starts."""
    tab = open_at(built_page.as_uri() + "#s=not-settings")

    expect(tab.locator("#settings-note")).to_have_text(
        "The link's settings could not be read; nothing was changed."
    )
    expect(tab.get_by_label("Token type")).to_have_value("video")


@pytest.mark.browser
def test_remembered_settings_survive_a_reload_and_hold_no_key_material(
    offline_page: Page, key: KeyForms
) -> None:
    """Switched on, settings are in localStorage and back after a reload.

    What is stored holds no run of the key and no key ID; after the reload
    the switch is on and the key field is empty.
    """
    remember = offline_page.get_by_label("Remember settings on this device")
    expect(remember).not_to_be_checked()
    remember.check()
    fill_settings(offline_page, key)
    offline_page.wait_for_function(SAVED_AFTER_TYPING)
    saved = offline_page.evaluate(SAVED)

    offline_page.reload()
    wait_until_booted(offline_page)

    assert not holds_key(saved, key)
    assert KEY_ID not in saved
    assert_restored(offline_page)
    expect(remember).to_be_checked()
    expect(offline_page.locator("#settings-note")).to_have_text(
        "Settings restored from this device."
    )


@pytest.mark.browser
@pytest.mark.parametrize("how", ["forget", "switch off"])
def test_forgetting_or_switching_off_removes_the_saved_settings(
    offline_page: Page, key: KeyForms, how: str
) -> None:
    """Either way localStorage is empty, and a reload restores nothing."""
    remember = offline_page.get_by_label("Remember settings on this device")
    remember.check()
    fill_settings(offline_page, key)
    offline_page.wait_for_function(SAVED_AFTER_TYPING)

    if how == "forget":
        offline_page.get_by_role("button", name="Forget saved settings").click()
    else:
        remember.uncheck()
    offline_page.wait_for_timeout(500)
    stored = offline_page.evaluate("() => JSON.stringify({ ...localStorage })")
    offline_page.reload()
    wait_until_booted(offline_page)

    assert stored == "{}"
    expect(remember).not_to_be_checked()
    expect(offline_page.get_by_label("Token type")).to_have_value("video")
    expect(offline_page.get_by_label("Expires in")).to_have_value("")
