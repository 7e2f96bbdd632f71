"""Errors show beside their field, nothing typed is lost, and no key is kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from formdriver import Form, fill, shared_offline_page, sign, tokens_on_page, verify
from harness import NetworkLog
from keyforms import KeyForms
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

# (what is wrong, the field it concerns, its input's id, the bad form).
MISTAKES = [
    ("a bad key", "private_key", "private-key", {"private_key": "not a key at all"}),
    ("bad custom JSON", "custom", "custom", {"custom": '{"session": '}),
    ("an expiry in the past", "expiration", "expiration", {"expiration": "2020-01-01"}),
]

# What every input of the Mux form and the key fields above it holds, by id.
TYPED = """
() => [...document.querySelectorAll(
  ":is(#keypair, #sign-form) :is(input, textarea, select)")]
  .map((input) => [input.id, input.type === "checkbox" ? input.checked : input.value])
"""

# Everything a page could keep between visits, read from inside the page.
STORED = """
async () => {
  const read = async (what) => {
    try {
      return await what();
    } catch (error) {
      return `unreadable: ${error.name}`;
    }
  };
  return {
    localStorage: await read(() => JSON.stringify({ ...localStorage })),
    sessionStorage: await read(() => JSON.stringify({ ...sessionStorage })),
    indexedDB: await read(async () => JSON.stringify(await indexedDB.databases())),
    cookie: await read(() => document.cookie),
    url: location.href,
    history: await read(() => JSON.stringify(history.state)),
  };
}
"""


@pytest.fixture(scope="module")
def error_page(browser: Browser, built_page: Path) -> Iterator[Page]:
    """One offline page for this module; each test fills in the whole form."""
    yield from shared_offline_page(browser, built_page, NetworkLog())


@pytest.mark.browser
@pytest.mark.parametrize(
    ("field", "input_id", "mistake"),
    [case[1:] for case in MISTAKES],
    ids=[case[0] for case in MISTAKES],
)
def test_an_error_shows_beside_its_field_and_the_form_signs_once_fixed(
    error_page: Page, key: KeyForms, field: str, input_id: str, mistake: dict[str, str]
) -> None:
    """The message sits under the field, which is marked invalid and focused.

    Every field keeps what was typed, and correcting the one mistake signs.
    """
    good = Form(private_key=key.mux_base64, custom='{"session": "s1"}')
    bad = Form(**{**good.__dict__, **mistake})
    fill(error_page, bad)
    typed = error_page.evaluate(TYPED)
    field_input = error_page.locator(f"#{input_id}")
    message = error_page.locator(f"#{input_id}-error")

    announced = sign(error_page)

    assert announced.startswith("Not signed: Expected")
    expect(message).to_be_visible()
    expect(message).to_have_text(announced.removeprefix("Not signed: "))
    expect(field_input).to_have_attribute("aria-invalid", "true")
    described = (field_input.get_attribute("aria-describedby") or "").split()
    assert f"{input_id}-error" in described
    expect(field_input).to_be_focused()
    expect(error_page.locator("main [aria-invalid]")).to_have_count(1)
    expect(error_page.locator("#results")).to_be_hidden()
    assert error_page.evaluate(TYPED) == typed, "a field lost what was typed"

    field_input.fill(getattr(good, field))
    sign(error_page)

    expect(field_input).not_to_have_attribute("aria-invalid", "true")
    expect(message).to_be_hidden()
    _, payload = verify(tokens_on_page(error_page)["video"], key)
    assert payload["custom"] == {"session": "s1"}


@pytest.mark.browser
def test_no_storage_the_url_or_the_console_holds_the_key_after_signing(
    error_page: Page, key: KeyForms
) -> None:
    """localStorage, sessionStorage, IndexedDB, cookies, URL, history: none has it.

    Nor does anything the page writes to the console while signing.
    """
    console: list[str] = []

    def record(message: ConsoleMessage) -> None:
        console.append(message.text)

    error_page.on("console", record)
    fill(error_page, Form(private_key=key.mux_base64))
    sign(error_page)
    error_page.remove_listener("console", record)

    stored = error_page.evaluate(STORED)
    everything = json.dumps(stored) + "\n".join(console)

    assert stored["localStorage"] == "{}"
    assert stored["sessionStorage"] == "{}"
    assert stored["indexedDB"] == "[]"
    assert stored["cookie"] == ""
    assert "?" not in stored["url"]
    assert "#" not in stored["url"]
    assert not any(window in everything for window in key.secret_windows())


@pytest.mark.browser
def test_clear_key_empties_the_key_field_and_python_forgets_the_key(
    error_page: Page, key: KeyForms
) -> None:
    """After Clear key the field is empty and signing asks for a key again."""
    fill(error_page, Form(private_key=key.mux_base64))
    hint = error_page.locator("#private-key-hint")
    expect(hint).to_contain_text("2048-bit")
    private_key = error_page.get_by_label("Private key", exact=True)

    error_page.get_by_role("button", name="Clear key").click()

    expect(private_key).to_have_value("")
    expect(private_key).to_be_focused()
    expect(hint).not_to_contain_text("2048-bit")
    assert sign(error_page).startswith("Not signed: Expected")
    expect(private_key).to_have_attribute("aria-invalid", "true")
