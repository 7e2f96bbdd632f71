"""The three modes are keyboard tabs, each fits a phone, and each is screenshotted.

Screenshots of Inspect, Any JWT and a generated test key, wide and 360 px,
light and dark, go to artifacts/mode-*.png for a person to look at.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from formdriver import (
    PLAYBACK_ID,
    inspect,
    make_token,
    press_and_wait,
    shared_offline_page,
    show_mode,
)
from harness import NetworkLog
from keyforms import KEY_ID, KeyForms
from playwright.sync_api import Browser, Page, expect

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture(scope="module")
def modes_page(browser: Browser, built_page: Path) -> Iterator[Page]:
    """One offline page for this module."""
    yield from shared_offline_page(browser, built_page, NetworkLog())


def selected(tab: Page) -> str:
    """The name of the selected tab."""
    return tab.get_by_role("tab", selected=True).text_content() or ""


@pytest.mark.browser
def test_arrow_keys_move_between_the_tabs_and_show_each_panel(
    modes_page: Page,
) -> None:
    """Right, Left, Home and End select a tab, focus it and show its panel only.

    Only the selected tab is in the Tab order; what was typed in a hidden
    panel is still there when it is shown again.
    """
    show_mode(modes_page, "Mux token")
    modes_page.locator("#playback-id").fill(PLAYBACK_ID)
    modes_page.get_by_role("tab", name="Mux token").focus()
    seen = []
    for key in ("ArrowRight", "ArrowRight", "ArrowRight", "ArrowLeft", "Home", "End"):
        modes_page.keyboard.press(key)
        seen.append(selected(modes_page))
    panel = modes_page.get_by_role("tabpanel")

    assert seen == [
        "Inspect",
        "Any JWT",
        "Mux token",
        "Any JWT",
        "Mux token",
        "Any JWT",
    ]
    expect(modes_page.get_by_role("tab", name="Any JWT")).to_be_focused()
    expect(panel).to_have_count(1)
    expect(panel).to_have_attribute("aria-labelledby", "tab-jwt")
    expect(modes_page.locator("[role=tab][tabindex='0']")).to_have_count(1)
    modes_page.keyboard.press("Home")
    expect(modes_page.locator("#playback-id")).to_have_value(PLAYBACK_ID)


@pytest.mark.browser
def test_ctrl_enter_submits_the_mode_shown(modes_page: Page, key: KeyForms) -> None:
    """In Inspect, Ctrl+Enter in the token field inspects rather than signs."""
    token = make_token(key, {"sub": PLAYBACK_ID, "aud": "v", "exp": 2_000_000_000})
    show_mode(modes_page, "Inspect")
    modes_page.get_by_label("Token or signed URL").fill(token)
    modes_page.evaluate(
        "() => { document.getElementById('announce').textContent = ''; }"
    )

    modes_page.keyboard.press("Control+Enter")

    expect(modes_page.locator("#announce")).to_have_text(re.compile("^Inspected"))


def prepare(tab: Page, mode: str, key: KeyForms) -> None:
    """Fill in a mode so that its screenshot shows results."""
    if mode == "inspect":
        exp = int(time.time()) + 86400
        token = make_token(key, {"sub": "other", "aud": "t", "exp": exp, "kid": KEY_ID})
        url = f"https://stream.mux.com/{PLAYBACK_ID}.m3u8?token={token}&start=1"
        inspect(tab, url, public_key=key.spki_pem)
    elif mode == "jwt":
        show_mode(tab, "Any JWT")
        tab.get_by_label("Algorithm").select_option("HS256")
        tab.get_by_label("Secret", exact=True).fill("a shared secret of 32 bytes!!!!!")
        tab.get_by_label("Payload (JSON)").fill('{"sub": "service-7"}')
        tab.get_by_label("Expiry (exp)").fill("1h")
        press_and_wait(tab, "Sign JWT", re.compile("^Signed"))
    else:
        show_mode(tab, "Mux token")
        tab.get_by_role("button", name="Generate a test key").click()
        expect(tab.locator("#test-key")).to_be_visible()


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["inspect", "jwt", "test-key"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_mode_fits_360_px_and_is_screenshotted(
    modes_page: Page,
    key: KeyForms,
    mode: str,
    scheme: str,
    save_screenshot: Callable[[Page, str], Path],
) -> None:
    """With results shown, no mode widens the page past 360 px."""
    modes_page.emulate_media(color_scheme=scheme)
    modes_page.set_viewport_size(DESKTOP)
    prepare(modes_page, mode, key)
    save_screenshot(modes_page, f"mode-{mode}-desktop-{scheme}")

    modes_page.set_viewport_size(PHONE)
    save_screenshot(modes_page, f"mode-{mode}-360-{scheme}")

    assert modes_page.evaluate(WIDTH) <= PHONE["width"]
