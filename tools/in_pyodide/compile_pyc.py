"""Compile Python sources to unchecked hash-based .pyc with the page's Python.

Runs inside Pyodide under Node (tools/pyodide_run.cjs), never on the host:

    compile_pyc.py JOB_JSON

JOB_JSON is ``{"source_dir": ..., "output_dir": ..., "files": [[source, name],
...]}``: each ``source`` (relative to ``source_dir``) is compiled and written
to ``output_dir`` as ``name``, a path ending in ``.pyc``. ``name`` without the
``c`` is also what tracebacks show as the file name.

They are compiled as ``python -OO`` would (optimize=2): without docstrings
and asserts, a mode the stdlib and the libraries support. Docstrings are
a tenth of the page's memory snapshot (tools/snapshot.py), which the page
inflates and copies at every start; nothing the page runs reads them.

Unchecked hash-based .pyc (PEP 552) carry no source timestamp and are never
checked against a source, which is what a sourceless zip needs; the files are
compiled one by one in the listed order, so one build writes the same bytes
as the next.
"""

import json
import py_compile
import sys
from pathlib import Path

STDLIB_ZIP = "/lib/python314.zip"


def main() -> None:
    """Compile the job's sources to unchecked hash-based .pyc files."""
    job = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    source_dir = Path(job["source_dir"])
    output_dir = Path(job["output_dir"])
    for source, name in job["files"]:
        py_compile.compile(
            str(source_dir / source),
            cfile=str(output_dir / name),
            dfile=f"{STDLIB_ZIP}/{name[:-1]}",
            doraise=True,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
            optimize=2,
        )


main()
