"""Take the page's memory snapshot at build time, and lay it out small.

A stock Pyodide spends most of its start-up initialising CPython and importing
Pyodide's own Python; the page then imports localjwt and its libraries. All of
that gives the same memory every time, so the build does it once, in Node
(tools/pyodide_snapshot.cjs), and the page restores the memory instead
(Pyodide's experimental ``_makeSnapshot`` / ``_loadSnapshot``;
shared/PYODIDE-NOTES.md).

The snapshot is Pyodide's header followed by all of wasm memory (30 MiB), most
of it zeros or the wasm's own data segments, which the page has already. So:

1. Every module the trace of the page's ops imported is imported before the
   snapshot; the page's Python archive then keeps only the rest
   (:func:`leftover_zip`): what the page imports is already in memory.
2. The page can lay out the wasm's data segments itself, as instantiating
   the wasm does, from the wasm it carries anyway; most of the rest of memory
   is zeros. So only the 4 KiB pages that differ from those segments over
   zeros are stored, as extents: 9 MB of the 30 MiB. The page hands Pyodide
   the header alone and writes memory itself (web/boot.js, restoreMemory;
   tools/page.py patches Pyodide's restoreSnapshot to call it).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from python_zip import ALWAYS_KEPT, PythonArchive, stored

__all__ = ["Snapshot", "leftover_zip", "memory_snapshot"]

TOOLS = Path(__file__).resolve().parent
RUNNER = TOOLS / "pyodide_snapshot.cjs"

# The granularity of the extents: small enough to skip the zero gaps between
# allocations, large enough that the extent list stays a few hundred entries.
PAGE = 4096

# Pyodide's makeMemorySnapshot output starts with little-endian uint32 words;
# the second says where the copy of wasm memory starts (314.0.8, the
# API.makeSnapshot in pyodide.asm.mjs).
HEAP_OFFSET_AT = 4


@dataclass(frozen=True)
class Snapshot:
    """The stored bytes and how the page puts them back together."""

    payload: bytes
    # The length of Pyodide's snapshot, where its heap starts, and the
    # (offset, length) of each stored extent.
    layout: dict[str, object]


def memory_snapshot(pyodide: dict[str, bytes], archive: PythonArchive) -> Snapshot:
    """Boot Pyodide on ``archive``, import what the page uses, and snapshot it."""
    with tempfile.TemporaryDirectory(prefix="localjwt-snapshot-") as folder:
        runtime = Path(folder)
        # The npm package's files, with the page's archive as the stdlib.
        for name, data in {**pyodide, "python_stdlib.zip": archive.data}.items():
            (runtime / name).write_bytes(data)
        modules = runtime / "modules.json"
        modules.write_text(json.dumps(archive.imported), encoding="utf-8")
        output = runtime / "snapshot.bin"
        command = ["node", str(RUNNER), str(runtime), str(modules), str(output)]
        # node is found on PATH like any build tool; the arguments are fixed here.
        if subprocess.run(command, check=False).returncode != 0:  # noqa: S603
            raise SystemExit("taking the memory snapshot in Pyodide under Node failed")
        raw = output.read_bytes()
    return _lay_out(raw, _data_segments(pyodide["pyodide.asm.wasm"]))


def leftover_zip(archive: PythonArchive) -> bytes:
    """What the page's archive still needs once the snapshot has its modules.

    The snapshot holds every module the trace of the page's ops imported, so
    the archive keeps only the rest of Pyodide's own packages (the tests reach
    ``pyodide.http``; see ALWAYS_KEPT in tools/python_zip.py) and the files
    that are not code: licences and package metadata. Modules of the libraries
    that no op imports (pyasn1, which only rsa's DER functions use; the CLI)
    are left out, as the stdlib's are.
    """
    imported = set(archive.imported)
    kept: dict[str, bytes] = {}
    with zipfile.ZipFile(BytesIO(archive.data)) as zipped:
        for name in zipped.namelist():
            if name.endswith(".pyc") and (
                _module_name(name) in imported or not name.startswith(ALWAYS_KEPT)
            ):
                continue
            kept[name] = zipped.read(name)
    return stored(kept)


def _module_name(pyc: str) -> str:
    """``a/b/__init__.pyc`` -> ``a.b``; ``a/b.pyc`` -> ``a.b``."""
    name = pyc.removesuffix(".pyc").replace("/", ".")
    return name.removesuffix(".__init__")


def _lay_out(raw: bytes, segments: list[tuple[int, bytes]]) -> Snapshot:
    """Keep the pages that differ from what the page can lay out itself.

    The page starts from zeros with the wasm's data segments copied in at the
    heap's offsets, as instantiating the wasm lays them out, then writes the
    stored pages over that (web/boot.js).
    """
    heap_offset = int.from_bytes(raw[HEAP_OFFSET_AT : HEAP_OFFSET_AT + 4], "little")
    base = bytearray(len(raw))
    for offset, segment in segments:
        start = heap_offset + offset
        if start + len(segment) > len(raw):
            raise SystemExit("a data segment of the wasm lies beyond the snapshot")
        base[start : start + len(segment)] = segment

    extents: list[list[int]] = []
    for start in range(0, len(raw), PAGE):
        if raw[start : start + PAGE] == base[start : start + PAGE]:
            continue
        end = min(start + PAGE, len(raw))
        if extents and extents[-1][0] + extents[-1][1] == start:
            extents[-1][1] = end - extents[-1][0]
        else:
            extents.append([start, end - start])
    payload = b"".join(raw[start : start + size] for start, size in extents)
    layout: dict[str, object] = {
        "length": len(raw),
        "heap_offset": heap_offset,
        "extents": extents,
    }
    return Snapshot(payload, layout)


def _leb128(data: bytes, position: int) -> tuple[int, int]:
    """An unsigned LEB128 number and the position after it (wasm core spec 5.2.2)."""
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, position


def _data_segments(wasm: bytes) -> list[tuple[int, bytes]]:
    """The wasm's data segments as (memory offset, bytes).

    Pyodide 314.0.8's are all active, at ``i32.const`` offsets, in memory 0
    (wasm core spec 5.5.14); anything else stops the build rather than guess.
    """
    position = 8  # magic and version
    while position < len(wasm):
        section = wasm[position]
        size, position = _leb128(wasm, position + 1)
        if section != 11:  # the data section
            position += size
            continue
        count, position = _leb128(wasm, position)
        segments = []
        for _ in range(count):
            mode, position = _leb128(wasm, position)
            if mode != 0 or wasm[position] != 0x41:  # active, i32.const
                raise SystemExit("pyodide.asm.wasm has a data segment of a new kind")
            # Signed LEB128 in the spec; read as unsigned, as an offset into
            # memory is never negative (and _lay_out checks it lies inside).
            offset, position = _leb128(wasm, position + 1)
            if wasm[position] != 0x0B:  # end
                raise SystemExit("pyodide.asm.wasm has a data segment of a new kind")
            length, position = _leb128(wasm, position + 1)
            segments.append((offset, wasm[position : position + length]))
            position += length
        return segments
    raise SystemExit("pyodide.asm.wasm has no data section")
