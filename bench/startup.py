"""Compare the offline page's start-up with a stock Pyodide page, in one run.

    .venv/bin/python bench/startup.py [--rounds 7]

The reference is what Pyodide's own docs show: a page that loads pyodide.js
and calls ``loadPyodide()`` and nothing else, served over loopback from the
same pinned npm package. The offline page is dist/localjwt.html opened from
disk with every request refused, timed to ``data-state="ready"`` (Python up,
the wheels unpacked and ``localjwt.web`` imported). Both are measured from
navigation start to a ``localjwt:ready`` performance mark, in a fresh browser
context each time, alternating so that machine noise hits both alike.
Absolute times on a shared machine mean little; the median ratio is the
number to read.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import inputs  # noqa: E402 - tools/ is not a package
import page  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

STOCK_PAGE = """<!doctype html>
<meta charset="utf-8">
<script src="pyodide.js"></script>
<script>
loadPyodide().then(() => {
  performance.mark("localjwt:ready");
  document.documentElement.dataset.state = "ready";
});
</script>
"""


def time_to_ready(browser: Browser, url: str, *, offline: bool) -> float:
    """Seconds from navigation start to the page's ``localjwt:ready`` mark."""
    context = browser.new_context()
    try:
        if offline:
            # Only the page itself is let through; anything else would be a bug.
            context.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url == url else route.abort()
                ),
            )
        tab = context.new_page()
        tab.goto(url)
        tab.locator("html[data-state=ready]").wait_for(
            state="attached", timeout=120_000
        )
        started = tab.evaluate(
            "() => performance.getEntriesByName('localjwt:ready')[0].startTime"
        )
        return float(started) / 1000
    finally:
        context.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    rounds = parser.parse_args().rounds

    built = page.build(ROOT, ROOT / "dist")
    pinned = inputs.fetch_inputs(ROOT / ".cache")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        stock = Path(folder)
        for name, data in pinned.pyodide.items():
            (stock / name).write_bytes(data)
        (stock / "index.html").write_text(STOCK_PAGE, encoding="utf-8")
        server = serve(stock)
        stock_url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            # One unmeasured round each warms the OS file cache.
            time_to_ready(browser, stock_url, offline=False)
            time_to_ready(browser, built.as_uri(), offline=True)
            stock_times, offline_times, ratios = [], [], []
            for round_number in range(1, rounds + 1):
                stock_time = time_to_ready(browser, stock_url, offline=False)
                offline_time = time_to_ready(browser, built.as_uri(), offline=True)
                stock_times.append(stock_time)
                offline_times.append(offline_time)
                ratios.append(offline_time / stock_time)
                print(
                    f"round {round_number}: stock {stock_time:.2f} s, "
                    f"offline {offline_time:.2f} s, ratio {ratios[-1]:.2f}",
                    flush=True,
                )
        finally:
            browser.close()
            server.shutdown()

    print(
        f"\nmedian over {rounds} rounds: stock {statistics.median(stock_times):.2f} s, "
        f"offline {statistics.median(offline_times):.2f} s, "
        f"ratio {statistics.median(ratios):.2f} (target <= 1.5)"
    )
    print(f"page size: {built.stat().st_size / 1_000_000:.2f} MB (target < 10 MB)")


if __name__ == "__main__":
    main()
