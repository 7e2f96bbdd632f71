"""Build dist/localjwt.html: one self-contained file that runs Python offline.

The page carries everything it needs: Pyodide's loader and runtime, and a
memory snapshot of Pyodide with the stdlib modules, PyJWT, rsa and localjwt
already imported (tools/snapshot.py), beside an archive of the few modules the
snapshot lacks. Opened from disk it makes no request at all; its
Content-Security-Policy forbids every kind of network access, so neither the
page's scripts nor the Python in it can send a key anywhere.

How web/index.html is laid out (for whoever writes the form):

- It must have exactly one ``<head>``; the build puts the
  ``<meta http-equiv="Content-Security-Policy">`` first inside it, so the
  policy covers everything that follows. Keep ``<meta charset="utf-8">``
  early in the head: the policy is ~500 bytes and the charset declaration
  must sit within the first 1024 bytes.
- ``<!-- localjwt:style -->`` (exactly once, in the head) becomes an inline
  ``<style>`` with web/style.css, or nothing when that file is absent. The
  policy allows only this stylesheet, by hash: ``style="..."`` attributes
  and ``<link>`` are blocked; setting ``element.style`` from a script works.
- ``<!-- localjwt:scripts -->`` (exactly once, the last thing in the body)
  becomes the embedded payloads (Pyodide's runtime script and wasm, the
  memory snapshot, the archive), Pyodide's loader, web/webcrypto.js,
  web/unpack.js, web/boot.js and then the form's scripts: web/ui/*.js in
  file-name order (or web/app.js when web/ui/ is absent). Write no other
  ``<script>``: only these are in the policy.
- Write web/ in any Unicode: the build escapes what is not ASCII (see
  ``_ascii_html``).
- ``<!-- localjwt:version -->`` and ``<!-- localjwt:build-id -->`` (anywhere
  in the body, any number of times) become the version and the build ID as
  text. Both are also on ``<html data-version data-build-id>``.
- ``#boot-status`` (an element, any kind) receives the start-up progress and,
  on failure, the error a person should read.

The build ID is the sha256 of every embedded input and source file; a file
cannot contain its own hash, so it names what went in rather than the output.
Two builds of the same commit give byte-identical files.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import tomllib
import zlib
from pathlib import Path

from inputs import Inputs, fetch_inputs
from python_zip import python_zip
from snapshot import leftover_zip, memory_snapshot

__all__ = ["build"]

PAGE_NAME = "localjwt.html"

# Pyodide asks for its runtime files under this made-up origin and boot.js
# answers from the embedded bytes. The ".invalid" top-level domain never
# resolves (RFC 6761, section 6.4), so a request that escaped would go nowhere.
INDEX_URL = "https://pyodide.localjwt.invalid/"

MARKER = "<!-- localjwt:{} -->"


def build(root: Path, dist: Path) -> Path:
    """Build ``dist/localjwt.html`` from ``root`` and return its path."""
    inputs = fetch_inputs(root / ".cache")
    web = root / "web"
    version = _project_version(root / "pyproject.toml")
    archive = python_zip(inputs, root / "src" / "localjwt", version)
    snapshot = memory_snapshot(inputs.pyodide, archive)
    # Pyodide's runtime script, loaded from a blob: URL with its hash as
    # integrity (web/boot.js): inline it would be 1.25 MB of text; deflated
    # and in base64 it is 0.35 MB.
    runtime = _classic_factory(inputs.pyodide["pyodide.asm.mjs"])

    payloads = {
        "pyodide.asm.js": runtime.encode("utf-8"),
        "pyodide.asm.wasm": inputs.pyodide["pyodide.asm.wasm"],
        "python_stdlib.zip": leftover_zip(archive),
        "snapshot": snapshot.payload,
    }
    tools = Path(__file__).resolve().parent
    sources = {
        **_source_files(root, web, {".html", ".css", ".js"}),
        **_source_files(root, tools, {".py", ".json", ".cjs"}),
    }
    build_id = _build_id(inputs, payloads, sources)

    manifest = {
        "version": version,
        "build_id": build_id,
        "pyodide_version": inputs.pyodide_version,
        "index_url": INDEX_URL,
        "lock": _empty_lock(inputs.pyodide["pyodide-lock.json"]),
        "runtime_integrity": _sha256_source(runtime).strip("'"),
        # Each payload's length once inflated: boot.js inflates into a buffer
        # of that size.
        "sizes": {name: len(body) for name, body in payloads.items()},
        "snapshot": snapshot.layout,
    }
    scripts = [
        _loader(inputs.pyodide["pyodide.js"]),
        # Before boot.js, which hands it the signing inputs.
        (web / "webcrypto.js").read_text(encoding="utf-8"),
        # Before boot.js, which starts Python with what it unpacks.
        (web / "unpack.js").read_text(encoding="utf-8"),
        (web / "boot.js").read_text(encoding="utf-8"),
    ]
    # The form's scripts, one job each, run in file-name order after boot.js.
    # They go in as one script: each inline script adds a ~54-byte hash to the
    # policy, and <meta charset> must stay within the first 1024 bytes.
    ui = [path.read_text(encoding="utf-8") for path in _ui_scripts(web)]
    if ui:
        scripts.append("\n".join(ui))
    style = (
        _ascii_css((web / "style.css").read_text(encoding="utf-8"))
        if (web / "style.css").is_file()
        else None
    )

    page = _assemble(
        _ascii_html((web / "index.html").read_text(encoding="utf-8")),
        manifest=manifest,
        payloads=payloads,
        scripts=[_ascii_js(script) for script in scripts],
        runtime=runtime,
        style=style,
    )
    dist.mkdir(parents=True, exist_ok=True)
    output = dist / PAGE_NAME
    output.write_bytes(page.encode("utf-8"))
    return output


def _source_files(root: Path, folder: Path, suffixes: set[str]) -> dict[str, bytes]:
    """The files under ``folder`` that shape the page, by path from ``root``."""
    return {
        path.relative_to(folder.parent).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and path.suffix in suffixes
        and "__pycache__" not in path.parts
    }


def _ui_scripts(web: Path) -> list[Path]:
    """web/ui/*.js in name order, or web/app.js alone when there is no web/ui/."""
    ui = sorted((web / "ui").glob("*.js"))
    if ui:
        return ui
    return [web / "app.js"] if (web / "app.js").is_file() else []


def _project_version(pyproject: Path) -> str:
    """The version in pyproject.toml, the one place it is written."""
    with pyproject.open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def _empty_lock(lock_json: bytes) -> dict[str, object]:
    """The shipped lock's ``info`` with no packages: nothing to fetch later."""
    return {"info": json.loads(lock_json)["info"], "packages": {}}


def _build_id(
    inputs: Inputs, payloads: dict[str, bytes], sources: dict[str, bytes]
) -> str:
    """Hash the names and hashes of everything that goes into the page."""
    parts = {
        **{f"pyodide/{name}": data for name, data in inputs.pyodide.items()},
        **{f"payload/{name}": data for name, data in payloads.items()},
        **sources,
    }
    listing = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n"
        for name, data in sorted(parts.items())
    )
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def _loader(pyodide_js: bytes) -> str:
    """pyodide.js without its source-map comment, which names a missing file."""
    text = pyodide_js.decode("utf-8")
    return re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", text)


def _classic_factory(asm_mjs: bytes) -> str:
    """Turn pyodide.asm.mjs into a classic script that hands over its factory.

    A page from disk cannot import a module from a file:// URL, and an inline
    module cannot be imported either, so the module text runs as a classic
    script. Its only module features are ``import.meta.url`` and one
    ``export default`` (Pyodide 314.0.8). Strict mode is kept, as in a module.
    """
    text = asm_mjs.decode("utf-8")
    export = "export default _createPyodideModule;"
    if text.count(export) != 1 or "import.meta.url" not in text:
        raise SystemExit("pyodide.asm.mjs no longer has the expected module shape")
    text = text.replace("import.meta.url", json.dumps(INDEX_URL + "pyodide.asm.mjs"))
    text = text.replace(export, "")
    # restoreSnapshot copies a whole snapshot into memory; boot.js may instead
    # be handed memory to restore itself (see restoreMemory there).
    restore = "return Module.HEAP8.set(t),l}"
    if text.count(restore) != 1:
        raise SystemExit("pyodide.asm.mjs no longer restores snapshots as expected")
    text = text.replace(
        restore,
        "return(API.config.localjwtRestoreMemory??(h=>h.set(t)))(Module.HEAP8),l}",
    )
    return (
        '(() => {\n"use strict";\n'
        + text
        + "\nglobalThis.localjwtCreatePyodideModule = _createPyodideModule;\n})();\n"
    )


# The page is written in ASCII only: with web/'s few non-ASCII characters
# ("…" in scripts, "—" in the title) written as escapes, each in its own
# language's syntax, the page was ready 25-35 ms sooner (A/B, 8 rounds). Our
# reading: Chromium keeps decoded text 8-bit while every character fits, and
# one wider character makes the parser carry the megabytes of payload as
# 16-bit text.


def _ascii_html(text: str) -> str:
    """Non-ASCII characters as numeric character references (HTML 13.1.4)."""
    return re.sub(r"[^\x00-\x7f]", lambda m: f"&#x{ord(m.group()):x};", text)


def _ascii_js(text: str) -> str:
    r"""Non-ASCII characters as ``\uXXXX`` escapes, surrogate pairs beyond the BMP.

    Valid in the strings, template literals, regular expressions and comments
    where web/ writes them; a non-ASCII identifier would need the same escape.
    """

    def escape(match: re.Match[str]) -> str:
        units = match.group().encode("utf-16-be")
        return "".join(
            f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}"
            for i in range(0, len(units), 2)
        )

    return re.sub(r"[^\x00-\x7f]", escape, text)


def _ascii_css(text: str) -> str:
    """Non-ASCII characters as CSS escapes, a space ending each (CSS Syntax 4.3.7)."""
    return re.sub(r"[^\x00-\x7f]", lambda m: f"\\{ord(m.group()):x} ", text)


def _sha256_source(text: str) -> str:
    """A CSP hash source for an inline element's exact text (CSP 3, 8.4)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _policy(scripts: list[str], runtime: str, style: str | None) -> str:
    """The page's Content-Security-Policy, one directive per reason.

    - ``default-src 'none'``: no fetch, XHR, WebSocket, beacon, image, font,
      frame or worker, from JS or from Python (which reaches the network only
      through the page's JS APIs). Pyodide's runtime files are answered by
      boot.js from memory, so no ``connect-src`` is needed at all.
    - ``script-src``: the inline scripts by hash, and Pyodide's runtime script
      by hash too: boot.js loads it from a ``blob:`` URL with that hash as its
      ``integrity``, which CSP 3 matches against the hash sources (section
      6.7.2.3; Chromium, Firefox 116+ and Safari 15.6+ do, per MDN's
      browser-compat-data), so no URL scheme is allowed. Plus ``'wasm-unsafe-eval'``,
      without which Chromium refuses to compile the wasm and loadPyodide hangs
      (shared/PYODIDE-NOTES.md). ``'unsafe-eval'`` is not needed.
    - ``style-src``: the one inline stylesheet, by hash.
    - ``base-uri`` and ``form-action`` do not fall back to ``default-src``
      (CSP 3, section 6.3 and 6.4), so they are closed explicitly.
    """
    directives = [
        "default-src 'none'",
        "script-src "
        + " ".join([*map(_sha256_source, [*scripts, runtime]), "'wasm-unsafe-eval'"]),
        "style-src " + (_sha256_source(style) if style is not None else "'none'"),
        "base-uri 'none'",
        "form-action 'none'",
    ]
    return "; ".join(directives)


def _inline_script(text: str) -> str:
    """An inline classic script; refuse text that would end the element early.

    Inside ``<script>`` the HTML parser ends the element at ``</script`` and
    changes state at ``<!--`` (HTML, "script data" states).
    """
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise SystemExit("an inline script contains '</script' or '<!--'")
    return f"<script>{text}</script>"


def _data_element(element_id: str, media_type: str, text: str) -> str:
    """A ``<script>`` of a non-JavaScript type: data the browser never runs."""
    return f'<script type="{media_type}" id="{element_id}">{text}</script>'


def _json_text(value: object) -> str:
    """JSON that is safe between script tags: ``<`` and ``>`` are escaped."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e")


def _payload_text(data: bytes) -> str:
    """Raw DEFLATE (RFC 1951) at zlib's level 9, then base64.

    Raw DEFLATE rather than gzip: the page inflates about 20 MB at every start,
    and without gzip's CRC-32 check DecompressionStream does it faster. Base64
    is ASCII, so the page stays ASCII (see _ascii_html).
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = compressor.compress(data) + compressor.flush()
    return base64.b64encode(packed).decode("ascii")


def _replace_once(page: str, name: str, replacement: str) -> str:
    marker = MARKER.format(name)
    if page.count(marker) != 1:
        raise SystemExit(f"web/index.html must contain {marker} exactly once")
    return page.replace(marker, replacement)


def _assemble(
    shell: str,
    *,
    manifest: dict[str, object],
    payloads: dict[str, bytes],
    scripts: list[str],
    runtime: str,
    style: str | None,
) -> str:
    """Fill the markers of web/index.html and put the policy first in the head."""
    if len(re.findall(r"<head>", shell)) != 1:
        raise SystemExit("web/index.html must contain exactly one <head>")

    data = [
        _data_element("localjwt-manifest", "application/json", _json_text(manifest))
    ]
    data += [
        _data_element(
            f"localjwt-payload:{name}",
            "application/x-localjwt-deflate-base64",
            _payload_text(body),
        )
        for name, body in payloads.items()
    ]
    body = "\n".join([*data, *map(_inline_script, scripts)])

    page = _replace_once(shell, "scripts", body)
    page = _replace_once(
        page, "style", f"<style>{style}</style>" if style is not None else ""
    )
    version = html.escape(str(manifest["version"]))
    build_id = html.escape(str(manifest["build_id"]))
    page = page.replace(MARKER.format("version"), version)
    page = page.replace(MARKER.format("build-id"), build_id)
    page = re.sub(
        r"<html\b",
        f'<html data-version="{version}" data-build-id="{build_id}"',
        page,
        count=1,
    )

    policy = html.escape(_policy(scripts, runtime, style), quote=False)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    page = page.replace("<head>", f"<head>\n{meta}", 1)
    if page.find("<meta charset") > 1024:
        raise SystemExit("<meta charset> must come right after the policy in the head")
    if not page.isascii():
        raise SystemExit("the page must be ASCII only: see _ascii_html")
    return page
