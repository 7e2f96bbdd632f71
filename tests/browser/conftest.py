"""Fixtures that drive the built page in Debian's Chromium through Playwright.

- ``built_page``: dist/localjwt.html, built once per session from the work tree.
- ``browser``: one headless Chromium per session (never Playwright's own build,
  which this network cannot download).
- ``offline_page``: the page opened from its file:// URL in a fresh context
  where every request but the page itself is aborted, waited until
  ``data-state="ready"``. ``network_log`` records every request it tried
  and how far each got. ``open_offline_page`` opens more such pages, with an
  init script or expecting a failed start.
- ``offline_page_with_python``: the same, plus a handle on the Pyodide
  instance for tests that must run Python directly (see ``PYODIDE_SPY``).
- ``served_page_url``: dist/ served over http on 127.0.0.1, on a free port.

Screenshots go to artifacts/ (gitignored) through ``save_screenshot``.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from harness import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PYODIDE_SPY,
    ROOT,
    NetworkLog,
    page_tool,
    wait_until_booted,
)
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Request,
    sync_playwright,
)


@pytest.fixture(scope="session")
def built_page() -> Path:
    """Build dist/localjwt.html from the work tree, once per session."""
    return page_tool.build(ROOT, ROOT / "dist")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, with background networking switched off."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def network_log() -> NetworkLog:
    """The requests of the page under test, filled in by the page fixtures."""
    return NetworkLog()


@pytest.fixture
def open_offline_page(
    browser: Browser, built_page: Path, network_log: NetworkLog
) -> Iterator[Callable[..., Page]]:
    """A function that opens the built page from disk and waits for its boot.

    Every request but the page itself is aborted and recorded in
    ``network_log``. ``init_script`` runs before the page's own scripts (to
    listen for progress events, say); ``booted=False`` returns the page on
    ``data-state="error"`` too, for tests of a failed start.
    """
    url = built_page.as_uri()
    contexts: list[BrowserContext] = []

    def note_failure(request: Request) -> None:
        if request.failure == "csp":
            network_log.blocked_by_policy.append(request.url)

    def open_page(*, init_script: str | None = None, booted: bool = True) -> Page:
        context = browser.new_context()
        contexts.append(context)
        if init_script is not None:
            context.add_init_script(init_script)
        context.route("**/*", network_log.refuse_all_but(url))
        tab = context.new_page()
        tab.on("request", lambda request: network_log.requested.append(request.url))
        tab.on("requestfailed", note_failure)
        tab.goto(url)
        wait_until_booted(tab, expect_ready=booted)
        return tab

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def offline_page(open_offline_page: Callable[..., Page]) -> Page:
    """The built page from file://, booted, with the network refused."""
    return open_offline_page()


@pytest.fixture
def offline_page_with_python(open_offline_page: Callable[..., Page]) -> Page:
    """Like ``offline_page``, with the page's Pyodide as ``globalThis.testPyodide``."""
    return open_offline_page(init_script=PYODIDE_SPY)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served_page_url(built_page: Path) -> Iterator[str]:
    """The built page's URL on a loopback http server, for the served variant."""
    handler = functools.partial(_QuietHandler, directory=str(built_page.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{built_page.name}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def save_screenshot() -> Callable[[Page, str], Path]:
    """Save a full-page screenshot as artifacts/NAME.png and return its path."""

    def save(tab: Page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return save
