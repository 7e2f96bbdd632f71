"""tools/snapshot.py stores the memory snapshot small and loses nothing."""

from __future__ import annotations

import io
import zipfile

# tools/ is not a package; harness.py, which conftest.py imports, puts it on
# sys.path.
import snapshot
from python_zip import PythonArchive, stored

HEAP_OFFSET = 48
SEGMENTS = [(1024, bytes(range(256)) * 8), (5000, b"static data" * 100)]


def raw_snapshot() -> bytes:
    """A made-up snapshot: header, the data segments partly changed, a heap."""
    header = bytearray(HEAP_OFFSET)
    header[4:8] = HEAP_OFFSET.to_bytes(4, "little")
    header[16:26] = b'{"keys":1}'
    memory = bytearray(64 * 1024)
    for offset, segment in SEGMENTS:
        memory[offset : offset + len(segment)] = segment
    memory[1030:1034] = b"used"  # start-up wrote into the static data
    memory[40_000:41_000] = bytes(range(1, 201)) * 5  # the heap
    return bytes(header + memory)


def rebuilt(laid_out: snapshot.Snapshot) -> bytes:
    """What web/boot.js does: the segments over zeros, then the stored pages."""
    layout = laid_out.layout
    memory = bytearray(int(str(layout["length"])))
    heap = int(str(layout["heap_offset"]))
    for offset, segment in SEGMENTS:
        memory[heap + offset : heap + offset + len(segment)] = segment
    position = 0
    for offset, length in layout["extents"]:  # type: ignore[attr-defined]
        stretch = laid_out.payload[position : position + length]
        memory[offset : offset + length] = stretch
        position += length
    return bytes(memory)


def test_the_page_rebuilds_the_snapshot_byte_for_byte() -> None:
    raw = raw_snapshot()

    assert rebuilt(snapshot._lay_out(raw, SEGMENTS)) == raw


def test_only_pages_unlike_the_static_data_over_zeros_are_stored() -> None:
    laid_out = snapshot._lay_out(raw_snapshot(), SEGMENTS)

    # The header and the changed word share page 0; the heap spans two pages.
    assert laid_out.layout["extents"] == [[0, 4096], [36864, 8192]]
    assert len(laid_out.payload) == 4096 + 8192


def test_the_wasm_data_segments_are_read_at_their_offsets() -> None:
    # A module with one data section: two active segments at i32.const offsets.
    segments = bytes([2, 0, 0x41, 0x80, 0x08, 0x0B, 3, 1, 2, 3])
    segments += bytes([0, 0x41, 0x10, 0x0B, 1, 9])
    wasm = b"\0asm\1\0\0\0" + bytes([11, len(segments)]) + segments

    assert snapshot._data_segments(wasm) == [(1024, b"\1\2\3"), (16, b"\x09")]


def test_the_leftover_archive_keeps_pyodide_and_metadata_only() -> None:
    names = {
        "pyodide/http/__init__.pyc": b"1",
        "pyodide/ffi/__init__.pyc": b"2",
        "localjwt/web.pyc": b"3",
        "localjwt/cli.pyc": b"4",
        "pyasn1/__init__.pyc": b"5",
        "localjwt/py.typed": b"",
        "rsa-4.9.1.dist-info/LICENSE": b"licence",
    }
    archive = PythonArchive(stored(names), ["pyodide.ffi", "localjwt.web"])

    with zipfile.ZipFile(io.BytesIO(snapshot.leftover_zip(archive))) as zipped:
        kept = zipped.namelist()

    assert kept == [
        "localjwt/py.typed",
        "pyodide/http/__init__.pyc",
        "rsa-4.9.1.dist-info/LICENSE",
    ]
