"""Fill in the signing form as a person would, and check its tokens independently.

The checks never use localjwt: each token's signing input is signed again with
OpenSSL (through ``cryptography``), and RSASSA-PKCS1-v1_5 is deterministic, so
a correct token has exactly the same signature, byte for byte.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from harness import NetworkLog, wait_until_booted
from keyforms import KEY_ID, KeyForms
from playwright.sync_api import Browser, Locator, Page, expect

# A playback ID in Mux's shape; nothing checks it against Mux.
PLAYBACK_ID = "qxb01i6T202018GFS02vp9RIe01icTcDCjVzQpmaB00CUisJ4"

# A fixed date, so that two pages sign the same exp.
FIXED_EXPIRY = "2030-01-01T00:00Z"
FIXED_EXP = 1_893_456_000

SIGNED_OR_NOT = re.compile(r"^(Signed|Not signed)")


def shared_offline_page(
    browser: Browser, built_page: Path, network_log: NetworkLog
) -> Iterator[Page]:
    """Open the page from disk for several tests, refusing every other request.

    conftest's ``open_offline_page`` opens one page per test; signing tests
    that fill in the whole form each time can share one, and save a boot each.
    """
    url = built_page.as_uri()

    context = browser.new_context()
    context.route("**/*", network_log.refuse_all_but(url))
    tab = context.new_page()
    tab.on("request", lambda request: network_log.requested.append(request.url))
    tab.goto(url)
    wait_until_booted(tab)
    yield tab
    context.close()


@dataclass
class Form:
    """What to type into the form; empty strings leave a field as it is."""

    key_id: str = KEY_ID
    private_key: str = ""
    token_type: str = "video"
    id_kind: str = ""
    playback_id: str = PLAYBACK_ID
    expiration: str = ""
    custom: str = ""
    params: dict[str, str] | None = None
    bundle: bool = False
    drm: bool = False


def fill(tab: Page, form: Form) -> None:
    """Type ``form`` into the page's fields, by their visible labels."""
    tab.get_by_label("Signing key ID").fill(form.key_id)
    tab.get_by_label("Private key", exact=True).fill(form.private_key)
    tab.get_by_label("Mux Player bundle").set_checked(form.bundle)
    if form.bundle:
        tab.get_by_label("Add a DRM license token").set_checked(form.drm)
    else:
        tab.get_by_label("Token type").select_option(form.token_type)
    if form.id_kind:
        tab.get_by_label("ID kind").select_option(form.id_kind)
    tab.locator("#playback-id").fill(form.playback_id)
    tab.get_by_label("Expires in").fill(form.expiration)
    tab.get_by_label("Custom claims").fill(form.custom)
    for name, value in (form.params or {}).items():
        parameters(tab, form.token_type).get_by_label(name, exact=True).fill(value)


def parameters(tab: Page, label: str) -> Locator:
    """The parameter fieldset of a token type, by its legend."""
    legend = {"video": "Video", "thumbnail": "Thumbnail", "gif": "GIF"}.get(
        label, label.capitalize()
    )
    return tab.get_by_role("group", name=f"{legend} parameters")


def sign(tab: Page, *, how: str = "click") -> str:
    """Sign the form as it stands and return what the page announced."""
    announcer = tab.locator("#announce")
    tab.evaluate("() => { document.getElementById('announce').textContent = ''; }")
    if how == "click":
        tab.get_by_role("button", name="Sign", exact=True).click()
    else:
        tab.keyboard.press(how)
    expect(announcer).to_have_text(SIGNED_OR_NOT)
    return announcer.text_content() or ""


def tokens_on_page(tab: Page) -> dict[str, str]:
    """Each result block's token, by the token type it is for."""
    tokens = {}
    for block in tab.locator(".result[data-type]:not([data-type=player])").all():
        token_type = block.get_attribute("data-type") or ""
        tokens[token_type] = block.get_by_label("Token", exact=True).input_value()
    return tokens


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515, section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_part(part: str) -> dict[str, Any]:
    """The JSON object a base64url part of a token holds."""
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    )
    return decoded


def verify(token: str, key: KeyForms) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check the signature against OpenSSL's; return the header and payload."""
    header, payload, signature = token.split(".")
    signing_input = f"{header}.{payload}".encode("ascii")

    expected = key.openssl.sign(signing_input, PKCS1v15(), SHA256())

    assert signature == b64url(expected), "the signature differs from OpenSSL's"
    return decode_part(header), decode_part(payload)


def show_mode(tab: Page, name: str) -> None:
    """Show one of the page's modes by its tab: Mux token, Inspect, Any JWT."""
    tab.get_by_role("tab", name=name).click()
    expect(tab.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")


def press_and_wait(tab: Page, button: str, announced: re.Pattern[str]) -> str:
    """Click a button by its name and return what the page then announced."""
    announcer = tab.locator("#announce")
    tab.evaluate("() => { document.getElementById('announce').textContent = ''; }")
    tab.get_by_role("button", name=button, exact=True).click()
    expect(announcer).to_have_text(announced)
    return announcer.text_content() or ""


def inspect(tab: Page, text: str, public_key: str = "") -> str:
    """Inspect a token or URL in the Inspect tab; return what was announced."""
    show_mode(tab, "Inspect")
    tab.get_by_label("Token or signed URL").fill(text)
    tab.get_by_label("Public key (optional)").fill(public_key)
    return press_and_wait(tab, "Inspect", re.compile(r"^(Inspected|Not inspected)"))


def findings(tab: Page) -> list[str]:
    """The findings of the last inspection, as their text reads."""
    return [text.strip() for text in tab.locator("#findings li").all_text_contents()]


def make_token(
    key: KeyForms, payload: dict[str, Any], header: dict[str, Any] | None = None
) -> str:
    """An RS256 token signed by OpenSSL, for the page to inspect."""
    header = header or {"alg": "RS256", "typ": "JWT"}
    parts = [b64url(json.dumps(part).encode()) for part in (header, payload)]
    signing_input = ".".join(parts).encode("ascii")
    signature = key.openssl.sign(signing_input, PKCS1v15(), SHA256())
    return ".".join([*parts, b64url(signature)])
