"""The browser's own RSA signs for the page, and Python checks every signature.

PKCS #1 v1.5 is deterministic, so the tokens are the same bytes whichever side
does the modular arithmetic; these tests show the browser's side is used, that
Python signs alone when the browser cannot, and that Clear key drops the key
from both.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from formdriver import Form, fill, sign, tokens_on_page, verify
from keyforms import KeyForms
from playwright.sync_api import Page

# Counts the page's WebCrypto signatures, before any of the page's scripts run.
COUNT_SIGNS = """
const realSign = crypto.subtle.sign.bind(crypto.subtle);
globalThis.webCryptoSigns = 0;
crypto.subtle.sign = (...args) => {
  globalThis.webCryptoSigns += 1;
  return realSign(...args);
};
"""

# A browser whose RSA refuses every key, as it would one of an odd size.
REFUSE_KEYS = """
crypto.subtle.importKey = () => Promise.reject(new DOMException("no", "DataError"));
"""


@pytest.mark.browser
def test_the_browser_signs_and_the_tokens_verify_with_openssl(
    open_offline_page: Callable[..., Page], key: KeyForms
) -> None:
    """A bundle of four tokens takes four WebCrypto signatures, all correct."""
    tab = open_offline_page(init_script=COUNT_SIGNS)
    fill(tab, Form(private_key=key.mux_base64, bundle=True, drm=True))
    sign(tab)

    tokens = tokens_on_page(tab)
    assert len(tokens) == 4
    for token in tokens.values():
        verify(token, key)
    assert tab.evaluate("() => globalThis.webCryptoSigns") == 4


@pytest.mark.browser
def test_python_signs_alone_when_the_browser_refuses_the_key(
    open_offline_page: Callable[..., Page], key: KeyForms
) -> None:
    """With WebCrypto unable to import the key, the token is still right."""
    tab = open_offline_page(init_script=REFUSE_KEYS)
    fill(tab, Form(private_key=key.pkcs8_pem, token_type="thumbnail"))
    sign(tab)

    (token,) = tokens_on_page(tab).values()
    verify(token, key)


@pytest.mark.browser
def test_clear_key_forgets_the_browser_copy_of_the_key(
    offline_page: Page, key: KeyForms
) -> None:
    """After Clear key the page holds no CryptoKey for it any more."""
    fill(offline_page, Form(private_key=key.mux_base64))
    sign(offline_page)
    assert offline_page.evaluate("() => window.localjwtWebCrypto.known().length") == 1

    offline_page.get_by_role("button", name="Clear key").click()

    known = offline_page.evaluate("() => window.localjwtWebCrypto.known().length")
    assert known == 0
