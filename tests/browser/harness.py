"""What the browser tests share: paths, Chromium's flags, and page helpers."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, Route

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
sys.path.insert(0, str(ROOT / "tools"))

import page as page_tool  # noqa: E402 - tools/ is not a package
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

__all__ = [
    "ARTIFACTS",
    "BOOT_WAIT_MS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "PYODIDE_SPY",
    "ROOT",
    "NetworkLog",
    "page_tool",
    "wait_until_booted",
]


# Not a limit on start-up (tests measure nothing): only how long to wait
# before calling a boot stuck. boot.js gives up by itself after 60 s.
BOOT_WAIT_MS = 90_000

# The page exposes no handle on Python, on purpose. Tests that need one wrap
# loadPyodide before the page's scripts run: pyodide.js assigns
# globalThis.loadPyodide, this setter wraps each function assigned, and the
# instance the page boots is kept in globalThis.testPyodide. Playwright runs
# init scripts outside the page's Content-Security-Policy.
PYODIDE_SPY = """
(() => {
  let loader;
  Object.defineProperty(globalThis, "loadPyodide", {
    configurable: true,
    get: () => loader,
    set: (value) => {
      loader =
        typeof value === "function"
          ? async (options) => (globalThis.testPyodide = await value(options))
          : value;
    },
  });
})();
"""


def wait_until_booted(tab: Page, *, expect_ready: bool = True) -> None:
    """Wait for ready or error; unless told otherwise, fail unless ready."""
    tab.locator("html[data-state=ready], html[data-state=error]").wait_for(
        state="attached", timeout=BOOT_WAIT_MS
    )
    if expect_ready:
        state = tab.locator("html").get_attribute("data-state")
        status = tab.locator("#boot-status").text_content()
        assert state == "ready", f"the page did not boot: {status}"


@dataclass
class NetworkLog:
    """What the page under test asked for, and how far each request got.

    Chromium reports a request that the page's policy blocks (an XHR, an
    image) as requested and then failed with the reason "csp"; such a request
    never reaches the network layer, where the fixture's route would see it.
    """

    requested: list[str] = field(default_factory=list)
    blocked_by_policy: list[str] = field(default_factory=list)
    reached_network: list[str] = field(default_factory=list)

    def refuse_all_but(self, url: str) -> Callable[[Route], None]:
        """A route handler that lets ``url`` through and aborts and notes the rest."""

        def refuse(route: Route) -> None:
            if route.request.url == url:
                route.continue_()
            else:
                self.reached_network.append(route.request.url)
                route.abort()

        return refuse
