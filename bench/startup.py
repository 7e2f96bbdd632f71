"""The offline page against a stock Pyodide page and WebCrypto, in one run.

    .venv/bin/python bench/startup.py [--rounds 7] [--signs 30]

Prints, with the pages interleaved round by round (a fresh browser context
each time, so that machine noise hits both alike), the median and the minimum
of:

1. stock: a page that loads pyodide.js and calls ``loadPyodide()`` and nothing
   else, served over loopback from the same pinned npm package (what
   Pyodide's docs show), from navigation start to ``loadPyodide()`` resolved;
2. offline: dist/localjwt.html opened from disk with every request refused,
   from navigation start to ``data-state="ready"``, and its ratio to (1);
3. first token: in the booted page, a key pasted and Sign clicked at once,
   from the click to the token announced, also as a ratio to one warm sign;
4. warm sign: ``localjwt.call("sign")`` with the same key again and again
   (Python lays out the token, the browser's RSA signs, Python checks),
   against WebCrypto's RSASSA-PKCS1-v1_5 SHA-256 in the same page with the
   same key over the same signing input (the signatures are compared: PKCS #1
   v1.5 is deterministic, so a fair race gives the same bytes); and Python
   signing alone (``page_signs: false``), the same bytes again;
5. the file's size, and each page's JS heap after ready (after a full GC);

and where the offline page's start-up goes, by the stages boot.js reports:
parsing the file up to boot.js's start, unpacking the payloads, starting
Python from the snapshot, and the last step to ready.

A benchmark, not a test: it asserts nothing. Absolute times on a shared
machine mean little; read the ratios.
"""

from __future__ import annotations

import argparse
import base64
import functools
import http.server
import statistics
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import inputs  # noqa: E402 - tools/ is not a package
import page  # noqa: E402
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

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

KEY_ID = "PT74yy9024fVaJjZJaGsHY01XFzoBtWazx4s6S7AkNri4"
PLAYBACK_ID = "qxb01i6T202018GFS02vp9RIe01icTcDCjVzQpmaB00CUisJ4"

# Runs in the page: the time from the click on Sign to the announcement that
# follows it. The listener is on the capture phase, so it runs before the
# page's own handler starts the work.
TIME_SIGN_CLICK = """
() => { globalThis.benchFirstToken = new Promise((resolve) => {
  const announcer = document.getElementById("announce");
  let clicked = null;
  document.addEventListener("click", () => { clicked = performance.now(); },
    { capture: true, once: true });
  new MutationObserver((_, observer) => {
    if (clicked !== null && announcer.textContent) {
      observer.disconnect();
      resolve({ ms: performance.now() - clicked, text: announcer.textContent });
    }
  }).observe(announcer, { childList: true, characterData: true, subtree: true });
}); }
"""

# Runs in the page: ``signs`` warm signatures each way, alternating, and the
# median of each. WebCrypto signs the signing input of localjwt's own token,
# so both sides do the same RSA work and must give the same signature.
RACE_WEBCRYPTO = """
async ({ pkcs8, request, signs }) => {
  const der = Uint8Array.fromBase64(pkcs8);
  const key = await crypto.subtle.importKey(
    "pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  const first = await window.localjwt.call("sign", request);
  const token = first.result.tokens[0].token;
  const input = new TextEncoder().encode(token.slice(0, token.lastIndexOf(".")));
  const ours = [], pure = [], theirs = [];
  let same = true;
  const alone = { ...request, page_signs: false };
  await window.localjwt.call("sign", alone);
  for (let i = 0; i < signs; i++) {
    let t = performance.now();
    const answer = await window.localjwt.call("sign", request);
    ours.push(performance.now() - t);
    t = performance.now();
    const pureAnswer = await window.localjwt.call("sign", alone);
    pure.push(performance.now() - t);
    same = same &&
      pureAnswer.result.tokens[0].token === answer.result.tokens[0].token;
    t = performance.now();
    const signature = new Uint8Array(await crypto.subtle.sign(
      "RSASSA-PKCS1-v1_5", key, input));
    theirs.push(performance.now() - t);
    const b64 = signature.toBase64({ alphabet: "base64url", omitPadding: true });
    same = same && answer.result.tokens[0].token === `${token.slice(0,
      token.lastIndexOf("."))}.${b64}`;
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const pureMedian = median(pure);
  return { ours: median(ours), pure: pureMedian, theirs: median(theirs), same };
}
"""


# The stages of the offline page's start-up, as stages_ms names them.
STAGES = {
    "parse": "navigation to boot.js's start: the HTML parsed",
    "unpack": "payloads decoded and inflated, the snapshot laid out",
    "start": "loadPyodide: the runtime set up, memory restored",
    "import": "random reseeded, localjwt's handle taken",
}


def fresh_key() -> tuple[str, str]:
    """A new 2048-bit key as a PKCS #8 PEM, and its DER in base64."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    body = base64.encodebytes(der).decode("ascii")
    pem = f"-----BEGIN PRIVATE KEY-----\n{body}-----END PRIVATE KEY-----\n"
    return pem, base64.b64encode(der).decode("ascii")


# Runs before the page's scripts: the time of each progress event boot.js sends.
RECORD_STAGES = """
document.addEventListener("localjwt:progress", (event) => {
  (globalThis.benchStages ||= []).push([event.detail.stage, performance.now()]);
});
"""


def open_page(browser: Browser, url: str, *, offline: bool) -> tuple[Page, Callable]:
    """Open ``url`` in a fresh context, wait for ready, return the tab and a closer."""
    context = browser.new_context()
    if offline:
        context.add_init_script(RECORD_STAGES)
        # Only the page itself is let through; anything else would be a bug.
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url == url else route.abort()
            ),
        )
    tab = context.new_page()
    tab.goto(url)
    tab.locator("html[data-state=ready]").wait_for(state="attached", timeout=120_000)
    return tab, context.close


def ready_seconds(tab: Page) -> float:
    """Navigation start to the page's ``localjwt:ready`` mark, in seconds."""
    mark = "() => performance.getEntriesByName('localjwt:ready')[0].startTime"
    return float(tab.evaluate(mark)) / 1000


def stages_ms(tab: Page) -> dict[str, float]:
    """How long each start-up stage took, in ms, from boot.js's progress events."""
    marks = dict(tab.evaluate("() => globalThis.benchStages"))
    return {
        "parse": marks["unpack"],
        "unpack": marks["start"] - marks["unpack"],
        "start": marks["import"] - marks["start"],
        "import": marks["ready"] - marks["import"],
    }


def heap_mb(tab: Page) -> float:
    """The JS heap in use after a full garbage collection, in MB."""
    session = tab.context.new_cdp_session(tab)
    session.send("HeapProfiler.collectGarbage")
    used = session.send("Runtime.getHeapUsage")["usedSize"]
    session.detach()
    return float(used) / 1_000_000


def first_token_ms(tab: Page, pem: str) -> float:
    """Paste a key, click Sign at once, and time the click to the token shown."""
    tab.locator("#key-id").fill(KEY_ID)
    tab.locator("#playback-id").fill(PLAYBACK_ID)
    tab.evaluate(TIME_SIGN_CLICK)
    tab.locator("#private-key").fill(pem)
    tab.locator("#sign").click()
    result = tab.evaluate("() => globalThis.benchFirstToken")
    if "ign" not in result["text"]:
        raise SystemExit(f"the page did not sign: {result['text']}")
    return float(result["ms"])


def race(tab: Page, pem: str, pkcs8: str, signs: int) -> dict[str, float]:
    """Warm signing in the page against WebCrypto, per signature in ms."""
    request = {
        "private_key": pem,
        "key_id": KEY_ID,
        "playback_id": PLAYBACK_ID,
        "now": 1_767_225_600,
    }
    result: dict[str, float] = tab.evaluate(
        RACE_WEBCRYPTO, {"pkcs8": pkcs8, "request": request, "signs": signs}
    )
    if not result["same"]:
        raise SystemExit("the page's signature differs from WebCrypto's")
    return result


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> http.server.ThreadingHTTPServer:
    """Serve ``directory`` on a free loopback port from a background thread."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def summary(name: str, values: list[float], unit: str, digits: int = 2) -> str:
    """One figure as its median and minimum."""
    return (
        f"{name}: median {statistics.median(values):.{digits}f}{unit}, "
        f"min {min(values):.{digits}f}{unit}"
    )


def main() -> None:
    """Build (unless told not to), race the pages, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--signs", type=int, default=30)
    parser.add_argument("--no-build", action="store_true", help="use dist/ as is")
    args = parser.parse_args()

    built = (
        ROOT / "dist" / page.PAGE_NAME
        if args.no_build
        else page.build(ROOT, ROOT / "dist")
    )
    pinned = inputs.fetch_inputs(ROOT / ".cache")
    figures: dict[str, list[float]] = {
        name: []
        for name in (
            "stock",
            "offline",
            "ratio",
            "first",
            "first/warm",
            "warm",
            "pure",
            "webcrypto",
            "warm/webcrypto",
            "pure/webcrypto",
            "stock heap",
            "offline heap",
            *STAGES,
        )
    }
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        stock = Path(folder)
        for name, data in pinned.pyodide.items():
            (stock / name).write_bytes(data)
        (stock / "index.html").write_text(STOCK_PAGE, encoding="utf-8")
        server = serve(stock)
        stock_url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            # One unmeasured round each warms the OS file cache.
            for url, offline in ((stock_url, False), (built.as_uri(), True)):
                open_page(browser, url, offline=offline)[1]()
            for round_number in range(1, args.rounds + 1):
                tab, close = open_page(browser, stock_url, offline=False)
                stock_s = ready_seconds(tab)
                figures["stock heap"].append(heap_mb(tab))
                close()

                tab, close = open_page(browser, built.as_uri(), offline=True)
                offline_s = ready_seconds(tab)
                for stage, ms in stages_ms(tab).items():
                    figures[stage].append(ms)
                figures["offline heap"].append(heap_mb(tab))
                pem, pkcs8 = fresh_key()
                first = first_token_ms(tab, pem)
                raced = race(tab, pem, pkcs8, args.signs)
                close()

                figures["stock"].append(stock_s)
                figures["offline"].append(offline_s)
                figures["ratio"].append(offline_s / stock_s)
                figures["first"].append(first)
                figures["warm"].append(raced["ours"])
                figures["pure"].append(raced["pure"])
                figures["pure/webcrypto"].append(raced["pure"] / raced["theirs"])
                figures["webcrypto"].append(raced["theirs"])
                figures["first/warm"].append(first / raced["ours"])
                figures["warm/webcrypto"].append(raced["ours"] / raced["theirs"])
                print(
                    f"round {round_number}: stock {stock_s:.2f} s, offline "
                    f"{offline_s:.2f} s (x{offline_s / stock_s:.2f}), first token "
                    f"{first:.0f} ms, warm sign {raced['ours']:.1f} ms (Python "
                    f"alone {raced['pure']:.1f} ms), WebCrypto "
                    f"{raced['theirs']:.2f} ms",
                    flush=True,
                )
        finally:
            browser.close()
            server.shutdown()

    report(figures, args.rounds, built.stat().st_size / 1_000_000)


def report(figures: dict[str, list[float]], rounds: int, size_mb: float) -> None:
    """Print the five figures with their targets."""
    heap_ratio = statistics.median(figures["offline heap"]) / statistics.median(
        figures["stock heap"]
    )
    print(f"\nover {rounds} rounds (targets in brackets):")
    print("1. " + summary("stock start-up", figures["stock"], " s"))
    print("2. " + summary("offline ready", figures["offline"], " s"))
    print("   " + summary("ratio to stock", figures["ratio"], "", 3) + " [<= 0.3]")
    print("3. " + summary("first token", figures["first"], " ms", 0) + " [<= 150]")
    print("   " + summary("first token / warm sign", figures["first/warm"], "", 1))
    print("4. " + summary("warm sign", figures["warm"], " ms", 1))
    print("   " + summary("WebCrypto sign", figures["webcrypto"], " ms", 2))
    print("   " + summary("ratio", figures["warm/webcrypto"], "", 1) + " [<= 12]")
    print("   " + summary("Python alone", figures["pure"], " ms", 1))
    print("   " + summary("Python alone / WebCrypto", figures["pure/webcrypto"], "", 1))
    print(f"5. file size {size_mb:.2f} MB [<= 10]")
    print("   " + summary("stock JS heap", figures["stock heap"], " MB", 1))
    print("   " + summary("offline JS heap", figures["offline heap"], " MB", 1))
    print(f"   heap ratio {heap_ratio:.2f} [<= 1.25]")
    print("where the offline page's start-up goes (ms):")
    for stage, meaning in STAGES.items():
        print("   " + summary(f"{stage:6} {meaning}", figures[stage], "", 0))


if __name__ == "__main__":
    main()
