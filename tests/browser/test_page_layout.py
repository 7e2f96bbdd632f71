"""The form works from the keyboard, fits a phone, and says how start-up goes.

Screenshots of the ready form and of results, wide and 360 px, light and
dark, go to artifacts/page-*.png for a person to look at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from formdriver import Form, fill, shared_offline_page, sign, tokens_on_page, verify
from harness import NetworkLog
from keyforms import KeyForms
from playwright.sync_api import Browser, Page, expect

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

# Records, from before the page's own scripts run, what the page looked like
# at each start-up stage.
WATCH_START_UP = """
globalThis.startUp = [];
document.addEventListener("localjwt:progress", (event) => {
  const field = (id) => document.getElementById(id);
  globalThis.startUp.push({
    stage: event.detail.stage,
    signDisabled: field("sign").disabled,
    keyEditable: !field("private-key").disabled && !field("private-key").readOnly,
    status: field("boot-status").textContent,
    progress: field("boot-progress").value,
  });
});
"""

# Without Uint8Array.fromBase64 boot.js refuses to start, the way it would
# in an old browser.
BREAK_START_UP = "delete Uint8Array.fromBase64;"


@pytest.fixture(scope="module")
def layout_page(browser: Browser, built_page: Path) -> Iterator[Page]:
    """One offline page for this module; each test sets what it needs."""
    yield from shared_offline_page(browser, built_page, NetworkLog())


def focused_id(tab: Page) -> str:
    """The id of the focused element, or its tag name when it has none."""
    found: str = tab.evaluate(
        "() => document.activeElement.id || document.activeElement.tagName"
    )
    return found


def tab_until(tab: Page, wanted: Callable[[], bool], limit: int = 40) -> int:
    """Press Tab until ``wanted()`` holds; return how many presses it took."""
    for presses in range(1, limit + 1):
        tab.keyboard.press("Tab")
        if wanted():
            return presses
    raise AssertionError(f"Tab never got there; focus ended on {focused_id(tab)}")


@pytest.mark.browser
def test_ctrl_enter_signs_from_inside_a_textarea_without_adding_a_line(
    layout_page: Page, key: KeyForms
) -> None:
    """Ctrl+Enter in Custom claims signs; the claims keep their exact text."""
    layout_page.set_viewport_size(DESKTOP)
    claims = '{"session": "k1"}'
    fill(layout_page, Form(private_key=key.mux_base64, custom=claims))
    layout_page.get_by_label("Custom claims").focus()

    announced = sign(layout_page, how="Control+Enter")

    assert announced.startswith("Signed a Video token")
    expect(layout_page.get_by_label("Custom claims")).to_have_value(claims)
    _, payload = verify(tokens_on_page(layout_page)["video"], key)
    assert payload["custom"] == {"session": "k1"}


@pytest.mark.browser
def test_tab_reaches_sign_and_then_copy_token_with_a_visible_focus_ring(
    layout_page: Page, key: KeyForms
) -> None:
    """From the first field, Tab gets to Sign; Enter signs; Tab gets to Copy token.

    Each focused control shows the page's outline, and Enter on Copy token
    copies it.
    """
    layout_page.set_viewport_size(DESKTOP)
    fill(layout_page, Form(private_key=key.mux_base64))
    layout_page.get_by_label("Signing key ID").focus()

    tab_until(layout_page, lambda: focused_id(layout_page) == "sign")
    outline = layout_page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle"
    )
    announced = sign(layout_page, how="Enter")
    tab_until(
        layout_page,
        lambda: layout_page.evaluate(
            "() => document.activeElement.textContent === 'Copy token'"
        ),
    )
    layout_page.keyboard.press("Enter")

    assert outline == "solid"
    assert announced.startswith("Signed a Video token")
    expect(layout_page.get_by_role("button", name="Copied")).to_be_focused()


@pytest.mark.browser
def test_the_page_fits_a_360_px_window_without_scrolling_sideways(
    layout_page: Page, key: KeyForms
) -> None:
    """Neither the form nor a bundle's long tokens and URLs widen the page."""
    layout_page.set_viewport_size(PHONE)
    width = "() => document.documentElement.scrollWidth"
    empty_form_width = layout_page.evaluate(width)

    fill(layout_page, Form(private_key=key.mux_base64, bundle=True, drm=True))
    sign(layout_page)

    assert empty_form_width <= PHONE["width"]
    assert layout_page.evaluate(width) <= PHONE["width"]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_form_and_a_result_are_saved(
    layout_page: Page,
    key: KeyForms,
    scheme: str,
    save_screenshot: Callable[[Page, str], Path],
) -> None:
    """The ready form and a signed thumbnail, wide and 360 px, in each scheme."""
    layout_page.emulate_media(color_scheme=scheme)
    layout_page.reload()
    expect(layout_page.get_by_role("button", name="Sign", exact=True)).to_be_enabled()
    saved = []
    for size, viewport in (("desktop", DESKTOP), ("360", PHONE)):
        layout_page.set_viewport_size(viewport)
        saved.append(save_screenshot(layout_page, f"page-ready-{size}-{scheme}"))

    form = Form(private_key=key.mux_base64, token_type="thumbnail")
    fill(layout_page, form)
    sign(layout_page)
    for size, viewport in (("desktop", DESKTOP), ("360", PHONE)):
        layout_page.set_viewport_size(viewport)
        saved.append(save_screenshot(layout_page, f"page-result-{size}-{scheme}"))

    background = layout_page.evaluate(
        "() => getComputedStyle(document.documentElement).backgroundColor"
    )
    assert all(path.stat().st_size > 0 for path in saved)
    assert (background == "rgb(255, 255, 255)") == (scheme == "light")


@pytest.mark.browser
def test_while_python_starts_the_form_is_editable_and_sign_waits(
    open_offline_page: Callable[..., Page],
) -> None:
    """Each stage is named in the status line and advances the progress bar.

    Sign stays disabled until the page is ready, then becomes enabled.
    """
    tab = open_offline_page(init_script=WATCH_START_UP)
    sign_button = tab.get_by_role("button", name="Sign", exact=True)

    expect(sign_button).to_be_enabled()
    seen = tab.evaluate("() => globalThis.startUp")
    loading = [moment for moment in seen if moment["stage"] != "ready"]

    assert [moment["stage"] for moment in seen] == [
        "unpack",
        "start",
        "import",
        "ready",
    ]
    assert all(moment["signDisabled"] for moment in loading)
    assert all(moment["keyEditable"] for moment in loading)
    assert [moment["progress"] for moment in loading] == [0, 1, 2]
    assert all(moment["status"] for moment in loading)


@pytest.mark.browser
def test_a_failed_start_is_shown_prominently_and_sign_stays_disabled(
    open_offline_page: Callable[..., Page],
    save_screenshot: Callable[[Page, str], Path],
) -> None:
    """The boot message becomes an alert; the form stays, but cannot sign."""
    tab = open_offline_page(init_script=BREAK_START_UP, booted=False)
    status = tab.locator("#boot-status")

    expect(status).to_have_attribute("role", "alert")
    save_screenshot(tab, "page-boot-failed")

    expect(tab.locator("html")).to_have_attribute("data-state", "error")
    expect(status).to_contain_text("localjwt could not start")
    expect(status).to_be_visible()
    expect(tab.get_by_role("button", name="Sign", exact=True)).to_be_disabled()
    expect(tab.locator("#sign-hint")).to_contain_text("unavailable")
