"""Fetch the page's pinned inputs into a cache and prove they are the pinned bytes.

The pins live in tools/inputs.lock.json and nowhere else: the Pyodide npm
tarball (checked against npm's sha512 integrity string) and the wheels of the
pure-Python libraries the page installs (checked against PyPI's sha256). A
cached file that still matches its pin is used as it is; one that does not is
fetched again, and a fresh download that does not match stops the build.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Inputs", "fetch_inputs"]

LOCK = Path(__file__).resolve().parent / "inputs.lock.json"

# The files of the npm package the page embeds; the rest (the ES module
# loader, source maps, type declarations, the consoles) are never read.
PYODIDE_FILES = (
    "pyodide.js",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)


@dataclass(frozen=True)
class Inputs:
    """The verified bytes of every pinned input, by file name."""

    pyodide_version: str
    pyodide: dict[str, bytes]
    wheels: dict[str, bytes]


def _integrity_matches(path: Path, integrity: str) -> bool:
    """Check a file against an npm integrity string (``sha512-`` and base64)."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512" or not path.is_file():
        return False
    digest = hashlib.sha512(path.read_bytes()).digest()
    return base64.b64encode(digest).decode("ascii") == expected


def _sha256_matches(path: Path, expected: str) -> bool:
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == expected


def _run(*command: str, cwd: Path) -> None:
    # npm and pip are found on PATH like any build tool; the commands are
    # fixed here and their arguments come from the lock file.
    completed = subprocess.run(  # noqa: S603
        command, cwd=cwd, check=False, stdout=subprocess.DEVNULL
    )
    if completed.returncode != 0:
        raise SystemExit(f"{command[0]} failed with exit code {completed.returncode}")


def _fetch_pyodide(pin: dict[str, str], cache: Path) -> dict[str, bytes]:
    tarball = cache / pin["tarball"]
    if not _integrity_matches(tarball, pin["integrity"]):
        tarball.unlink(missing_ok=True)
        spec = f"{pin['package']}@{pin['version']}"
        print(f"    npm pack {spec}", flush=True)
        _run(
            "npm", "pack", "--silent", spec, "--pack-destination", str(cache), cwd=cache
        )
        if not _integrity_matches(tarball, pin["integrity"]):
            raise SystemExit(f"{tarball.name} does not match its pinned integrity")

    files: dict[str, bytes] = {}
    with tarfile.open(tarball, "r:gz") as archive:
        for name in PYODIDE_FILES:
            # npm tarballs hold the package under a top-level "package/" folder.
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise SystemExit(f"{tarball.name} has no file package/{name}")
            files[name] = member.read()
    return files


def _fetch_wheels(pins: list[dict[str, str]], cache: Path) -> dict[str, bytes]:
    folder = cache / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    wheels: dict[str, bytes] = {}
    for pin in pins:
        wheel = folder / pin["file"]
        if not _sha256_matches(wheel, pin["sha256"]):
            wheel.unlink(missing_ok=True)
            requirement = f"{pin['name']}=={pin['version']}"
            print(f"    pip download {requirement}", flush=True)
            _run(
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                str(folder),
                requirement,
                cwd=cache,
            )
            if not _sha256_matches(wheel, pin["sha256"]):
                raise SystemExit(f"{wheel.name} does not match its pinned sha256")
        wheels[pin["file"]] = wheel.read_bytes()
    return wheels


def fetch_inputs(cache: Path) -> Inputs:
    """Return every pinned input, downloading only what the cache lacks."""
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    cache.mkdir(parents=True, exist_ok=True)
    return Inputs(
        pyodide_version=lock["pyodide"]["version"],
        pyodide=_fetch_pyodide(lock["pyodide"], cache),
        wheels=_fetch_wheels(lock["wheels"], cache),
    )
