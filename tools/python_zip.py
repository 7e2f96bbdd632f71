"""Build the page's one Python archive: the stdlib it uses and its libraries, compiled.

Opened from disk, the page's start-up was mostly CPython compiling the stdlib's
``.py`` files (shared/PYODIDE-NOTES.md). So the build does that work once:

1. The wheels (PyJWT, rsa, pyasn1) and localjwt are laid out as the page
   would install them, with PyJWT's JWKS client replaced by a stub
   (tools/in_pyodide/jwks_client.py).
2. Pyodide's own Python, run under Node, imports ``localjwt.web`` and drives
   every op of the bridge (tools/in_pyodide/trace_imports.py). The stdlib
   modules then loaded, and Pyodide's own packages, are what the page keeps.
3. The same Python compiles those modules and every module of the libraries
   to unchecked hash-based ``.pyc`` (tools/in_pyodide/compile_pyc.py): the
   host's CPython writes a different magic number.
4. Everything goes into one ZIP with stored entries, taking the place of
   ``python_stdlib.zip``: it is on ``sys.path`` from the start, so nothing is
   unpacked. The build boots Pyodide on it to take the page's memory snapshot
   (tools/snapshot.py); the page itself carries only the part of it that the
   snapshot has not imported, stored too, as the page's DEFLATE compresses
   stored entries better than per-entry compression does.

The ``.py`` sources are left out; tracebacks still name files and lines.
Licences and metadata of the wheels (their ``.dist-info``) stay in.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from inputs import Inputs

__all__ = [
    "ALWAYS_KEPT",
    "ZIP_EPOCH",
    "PythonArchive",
    "python_zip",
    "stored",
    "zip_entry",
]

TOOLS = Path(__file__).resolve().parent
IN_PYODIDE = TOOLS / "in_pyodide"
RUNNER = TOOLS / "pyodide_run.cjs"

# Every ZIP entry gets this timestamp, the earliest a ZIP can record, so that
# the archive depends on file contents only (the idea of SOURCE_DATE_EPOCH,
# https://reproducible-builds.org/specs/source-date-epoch/).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

# Kept whole whatever the trace saw: Pyodide's own Python side. The page's
# tests reach parts of it (pyodide.http) that the bridge never imports.
ALWAYS_KEPT = ("pyodide/", "_pyodide/")


@dataclass(frozen=True)
class PythonArchive:
    """The archive, and what the trace of the page's ops found in it."""

    data: bytes
    # Every module of the archive the trace loaded, in first-import order.
    imported: list[str]


def zip_entry(name: str) -> zipfile.ZipInfo:
    """A ZIP entry with the fixed timestamp and ordinary file permissions."""
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.external_attr = 0o644 << 16
    return info


def python_zip(inputs: Inputs, package: Path, version: str) -> PythonArchive:
    """The page's Python archive, with the modules the trace saw."""
    with tempfile.TemporaryDirectory(prefix="localjwt-pyc-") as folder:
        scratch = Path(folder)
        runtime = scratch / "runtime"
        runtime.mkdir()
        # The npm package's files side by side, as Pyodide under Node wants.
        for name, data in inputs.pyodide.items():
            (runtime / name).write_bytes(data)
        work = scratch / "work"
        site = work / "site"
        stdlib = work / "stdlib"
        _lay_out_site(inputs, package, version, site)
        with zipfile.ZipFile(io.BytesIO(inputs.pyodide["python_stdlib.zip"])) as zipped:
            zipped.extractall(stdlib)

        _run_in_pyodide(
            runtime, work, "trace_imports.py", "/work/site", "/work/used.json"
        )
        found = json.loads((work / "used.json").read_text(encoding="utf-8"))
        used: dict[str, str] = found["stdlib"]
        stdlib_files = _kept_stdlib(stdlib, used)
        site_files = sorted(
            path.relative_to(site).as_posix()
            for path in site.rglob("*.py")
            if ".dist-info" not in path.as_posix()
        )
        job = {
            "source_dir": "/work",
            "output_dir": "/work/compiled",
            "files": [[f"stdlib/{name}", f"{name}c"] for name in stdlib_files]
            + [[f"site/{name}", f"{name}c"] for name in site_files],
        }
        (work / "job.json").write_text(json.dumps(job), encoding="utf-8")
        _run_in_pyodide(runtime, work, "compile_pyc.py", "/work/job.json")

        compiled = work / "compiled"
        entries = {
            path.relative_to(compiled).as_posix(): path.read_bytes()
            for path in compiled.rglob("*.pyc")
        }
        entries.update(
            {
                path.relative_to(site).as_posix(): path.read_bytes()
                for path in site.rglob("*")
                if path.is_file() and path.suffix != ".py"
            }
        )
        return PythonArchive(stored(entries), found["imported"])


def _lay_out_site(inputs: Inputs, package: Path, version: str, site: Path) -> None:
    """The wheels and localjwt as site-packages would hold them."""
    for data in inputs.wheels.values():
        with zipfile.ZipFile(io.BytesIO(data)) as wheel:
            wheel.extractall(site)
    shutil.copyfile(IN_PYODIDE / "jwks_client.py", site / "jwt" / "jwks_client.py")
    for path in sorted(package.rglob("*")):
        if path.is_file() and (path.suffix == ".py" or path.name == "py.typed"):
            if "__pycache__" in path.parts:
                continue
            target = site / path.relative_to(package.parent)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    # Core metadata 2.1 needs only these fields; importlib.metadata then
    # answers for localjwt as it does for an installed wheel.
    info = site / f"localjwt-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: localjwt\nVersion: {version}\n",
        encoding="utf-8",
    )


def _kept_stdlib(stdlib: Path, used: dict[str, str]) -> list[str]:
    """The stdlib's .py files to keep: those the trace saw, and Pyodide's own."""
    prefix = "/lib/python314.zip/"
    kept = {path[len(prefix) :] for path in used.values() if path.endswith(".py")}
    kept.update(
        path.relative_to(stdlib).as_posix()
        for top in ALWAYS_KEPT
        for path in (stdlib / top).rglob("*.py")
    )
    return sorted(kept)


def _run_in_pyodide(runtime: Path, work: Path, script: str, *args: str) -> None:
    """Run a script of tools/in_pyodide/ in Pyodide under Node."""
    command = ["node", str(RUNNER), str(runtime), str(work), str(IN_PYODIDE / script)]
    # node is found on PATH like any build tool; the arguments are fixed here.
    completed = subprocess.run([*command, *args], check=False)  # noqa: S603
    if completed.returncode != 0:
        raise SystemExit(f"{script} failed in Pyodide under Node")


def stored(entries: dict[str, bytes]) -> bytes:
    """A ZIP of ``entries`` in name order, stored, with fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(entries):
            archive.writestr(zip_entry(name), entries[name])
    return buffer.getvalue()
