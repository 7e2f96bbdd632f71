"""The offline page boots Python from its own bytes and can reach nothing else."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from harness import ROOT, NetworkLog, page_tool, wait_until_booted
from playwright.sync_api import Browser, Page

# Collects the securitypolicyviolation events a snippet causes, then reports
# what the snippet saw. Violations are queued as tasks, so it waits for them.
RUN_AND_COLLECT_VIOLATIONS = """
async (snippet) => {
  const violations = [];
  const record = (event) =>
    violations.push({ directive: event.effectiveDirective, uri: event.blockedURI });
  document.addEventListener("securitypolicyviolation", record);
  let outcome;
  try {
    outcome = `completed: ${await snippet()}`;
  } catch (error) {
    outcome = `failed: ${error}`;
  }
  for (let waited = 0; violations.length === 0 && waited < 2000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  document.removeEventListener("securitypolicyviolation", record);
  return { outcome, violations };
}
"""

NETWORK_FROM_JAVASCRIPT = {
    "fetch": "() => fetch('https://example.com/')",
    "XMLHttpRequest": """() => new Promise((resolve, reject) => {
        const request = new XMLHttpRequest();
        request.onload = () => resolve(request.status);
        request.onerror = () => reject(new Error('XMLHttpRequest failed'));
        request.open('GET', 'https://example.com/');
        request.send();
      })""",
    "WebSocket": "() => { new WebSocket('wss://example.com/'); return 'opened'; }",
    "sendBeacon": "() => navigator.sendBeacon('https://example.com/', 'x')",
    "image": "() => { new Image().src = 'https://example.com/x.png'; return 'set'; }",
}


def violations_of(tab: Page, snippet: str) -> dict[str, object]:
    """Run a JS snippet in the page and return its outcome and CSP violations."""
    wrapped = f"async () => ({RUN_AND_COLLECT_VIOLATIONS})({snippet})"
    result: dict[str, object] = tab.evaluate(wrapped)
    return result


@pytest.mark.browser
def test_the_page_boots_from_disk_without_any_request(
    offline_page: Page,
    network_log: NetworkLog,
    built_page: Path,
    save_screenshot: Callable[[Page, str], Path],
) -> None:
    """Opened from file:// with every request refused, Python answers a call.

    The only request the browser makes is for the file itself.
    """
    response = offline_page.evaluate("() => window.localjwt.call('version')")
    save_screenshot(offline_page, "boot-offline")

    assert response["ok"] is True
    assert response["result"]["version"] == project_version()
    assert network_log.requested == [built_page.as_uri()]
    assert network_log.reached_network == []


@pytest.mark.browser
def test_a_token_signed_in_the_page_verifies_with_openssl(offline_page: Page) -> None:
    """The whole chain works offline: the page's RS256 signature checks out.

    The key is made on the host; cryptography (OpenSSL) verifies the token.
    """
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    request = {"private_key": pem, "key_id": "test-key-id", "playback_id": "abc123"}

    response = offline_page.evaluate(
        "(request) => window.localjwt.call('sign', request)", request
    )
    assert response["ok"] is True, response
    token = response["result"]["tokens"][0]["token"]
    signing_input, _, signature = token.rpartition(".")

    private_key.public_key().verify(
        base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)),
        signing_input.encode("ascii"),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )


@pytest.mark.browser
def test_the_page_shows_its_version_and_build_id(offline_page: Page) -> None:
    """The version and a 64-hex-digit build ID are on the page and in the API."""
    html = offline_page.locator("html")
    build_id = html.get_attribute("data-build-id") or ""

    assert html.get_attribute("data-version") == project_version()
    assert re.fullmatch(r"[0-9a-f]{64}", build_id)
    assert build_id in (offline_page.locator("body").text_content() or "")
    assert offline_page.evaluate("() => window.localjwt.buildId") == build_id


@pytest.mark.browser
def test_the_status_line_says_ready_once_booted(offline_page: Page) -> None:
    """#boot-status ends on the last progress label, which says the page is ready."""
    assert offline_page.locator("#boot-status").text_content() == "Ready."


RECORD_PROGRESS = """
globalThis.progress = [];
document.addEventListener("localjwt:progress", (event) => {
  globalThis.progress.push(event.detail);
});
"""

# Uint8Array.fromBase64 is the newest API the boot needs (Chromium 140+).
WITHOUT_FROM_BASE64 = "delete Uint8Array.fromBase64;"


@pytest.mark.browser
def test_progress_events_name_each_stage_in_order(
    open_offline_page: Callable[..., Page],
) -> None:
    """A listener added before boot.js runs hears every stage up to ready."""
    tab = open_offline_page(init_script=RECORD_PROGRESS)
    progress = tab.evaluate("() => globalThis.progress")

    assert [event["stage"] for event in progress] == [
        "unpack",
        "start",
        "import",
        "ready",
    ]
    assert all(event["label"] for event in progress)


@pytest.mark.browser
def test_a_failed_start_is_explained_on_the_page(
    open_offline_page: Callable[..., Page],
) -> None:
    """Without an API the boot needs, the page says so and call answers an error."""
    tab = open_offline_page(init_script=WITHOUT_FROM_BASE64, booted=False)
    status = tab.locator("#boot-status").text_content() or ""
    response = tab.evaluate("() => window.localjwt.call('version')")

    assert tab.locator("html").get_attribute("data-state") == "error"
    assert status.startswith("localjwt could not start: this browser lacks")
    assert response["ok"] is False
    assert response["error"]["message"].startswith("localjwt could not start")


@pytest.mark.browser
@pytest.mark.parametrize("api", sorted(NETWORK_FROM_JAVASCRIPT))
def test_the_policy_blocks_network_access_from_javascript(
    offline_page: Page, network_log: NetworkLog, built_page: Path, api: str
) -> None:
    """fetch, XHR, WebSocket, beacons and images are refused by the CSP itself."""
    seen = violations_of(offline_page, NETWORK_FROM_JAVASCRIPT[api])

    assert seen["violations"], f"{api} was not reported as a CSP violation: {seen}"
    assert network_log.reached_network == []
    assert set(network_log.requested) - set(network_log.blocked_by_policy) == {
        built_page.as_uri()
    }


@pytest.mark.browser
def test_the_policy_blocks_a_fetch_from_python(
    offline_page_with_python: Page, network_log: NetworkLog, built_page: Path
) -> None:
    """pyodide.http.pyfetch goes through the page's fetch, so the CSP stops it."""
    snippet = """() => globalThis.testPyodide.runPythonAsync(
        "from pyodide.http import pyfetch\\n"
        + "response = await pyfetch('https://example.com/')\\n"
        + "response.status"
      )"""
    seen = violations_of(offline_page_with_python, snippet)

    assert "AbortError: Failed to fetch" in str(seen["outcome"]), seen
    assert {"directive": "connect-src", "uri": "https://example.com/"} in list(
        seen["violations"]  # type: ignore[call-overload]
    )
    assert network_log.requested == [built_page.as_uri()]
    assert network_log.reached_network == []


@pytest.mark.browser
def test_the_page_also_boots_when_served_over_http(
    browser: Browser, served_page_url: str
) -> None:
    """Served from a loopback web server instead of disk, the page boots the same."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(served_page_url)
        wait_until_booted(tab)
        response = tab.evaluate("() => window.localjwt.call('version')")
    finally:
        context.close()

    assert response["ok"] is True
    assert response["result"]["version"] == project_version()


class _InlineElements(HTMLParser):
    """Collects the policy and the text of every inline script and style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.first_in_head: tuple[str, dict[str, str | None]] | None = None
        self.in_head = False
        self.open: tuple[str, dict[str, str | None]] | None = None
        self.scripts: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_head and self.first_in_head is None:
            self.first_in_head = (tag, dict(attrs))
        self.in_head = self.in_head or tag == "head"
        if tag in {"script", "style"}:
            self.open = (tag, dict(attrs))

    def handle_data(self, data: str) -> None:
        if self.open is None:
            return
        tag, attrs = self.open
        if tag == "style":
            self.styles.append(data)
        elif attrs.get("type") is None:
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self.open = None


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def test_the_policy_comes_first_and_names_every_inline_script(built_page: Path) -> None:
    """The CSP meta is the head's first element and hashes each script and style."""
    parsed = _InlineElements()
    parsed.feed(built_page.read_text(encoding="utf-8"))
    assert parsed.first_in_head is not None
    tag, attrs = parsed.first_in_head
    policy = attrs.get("content") or ""

    assert (tag, attrs.get("http-equiv")) == ("meta", "Content-Security-Policy")
    assert policy.startswith("default-src 'none'; ")
    assert parsed.scripts
    for text in parsed.scripts + parsed.styles:
        assert csp_hash(text) in policy


def test_the_page_is_under_ten_megabytes(built_page: Path) -> None:
    """The single file stays under 10 MB."""
    assert built_page.stat().st_size < 10_000_000


def test_two_builds_of_the_same_tree_are_byte_identical(tmp_path: Path) -> None:
    """Two copies of the tree, in folders of different lengths, build the same bytes.

    Each copy builds with its own tools/, in a process of its own, so that no
    path of either copy can reach the page (the memory snapshot once held the
    path of the script that took it). Copying first also keeps edits made to
    the work tree during the test from reaching one build and not the other.
    """
    first = build_in_copy(tmp_path / "a")
    second = build_in_copy(tmp_path / "second-copy")

    assert sha256_of(first) == sha256_of(second)


def build_in_copy(folder: Path) -> Path:
    """Copy the tree into ``folder`` and build it there with its own tools/."""
    root = copy_of_tree(folder)
    script = (
        "import sys, pathlib; sys.path.insert(0, 'tools'); import page; "
        "page.build(*map(pathlib.Path, sys.argv[1:]))"
    )
    # The interpreter running the tests, on a script fixed above.
    subprocess.run(
        [sys.executable, "-c", script, str(root), str(root / "dist")],
        cwd=root,
        check=True,
    )
    return root / "dist" / page_tool.PAGE_NAME


def copy_of_tree(folder: Path) -> Path:
    """The page's sources copied into ``folder``; the download cache is shared."""
    for name in ("src", "web", "tools"):
        shutil.copytree(
            ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy2(ROOT / "pyproject.toml", folder / "pyproject.toml")
    (folder / ".cache").symlink_to(ROOT / ".cache")
    return folder


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])
