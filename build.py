#!/usr/bin/env python3
"""localjwt's one entry point: set-up, build, serve and test.

    python3 build.py                 build dist/localjwt.html
    python3 build.py serve [--port]  set up, build, serve dist/ on 127.0.0.1
    python3 build.py test [ARGS]     set up, then lint, type-check and run pytest

Standard library only, so that it runs on a fresh machine before anything is
installed. Every input it downloads is pinned by version and hash:
requirements/dev.txt for the toolchain, tools/inputs.lock.json for the page.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
DIST = ROOT / "dist"
CHROMIUM = Path("/usr/bin/chromium")


def step(message: str) -> None:
    """Say what is happening, so a long set-up never looks stuck."""
    print(f"==> {message}", flush=True)


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    """Run a command from the project root; a failure ends the build."""
    completed = subprocess.run(
        [str(part) for part in command], cwd=ROOT, env=env, check=False
    )
    if completed.returncode != 0:
        raise SystemExit(completed.returncode)


def ensure_venv() -> None:
    """Create .venv with the pinned toolchain and localjwt installed editable.

    A stamp file holds the lock file's contents, so a re-run with the same lock
    skips pip entirely.
    """
    lock = ROOT / "requirements" / "dev.txt"
    stamp = VENV / "localjwt-dev.lock"
    if stamp.exists() and stamp.read_text() == lock.read_text():
        return
    step("creating .venv with the pinned test toolchain")
    venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    pip = (VENV_PYTHON, "-m", "pip", "--disable-pip-version-check", "-q")
    run(*pip, "install", "--require-hashes", "-r", lock)
    run(*pip, "install", "--no-deps", "--no-build-isolation", "-e", ".")
    stamp.write_text(lock.read_text())


def ensure_chromium() -> None:
    """Install Debian's Chromium for the browser tests when it is missing.

    Playwright drives this binary; its own browser download cannot reach this
    network and is never used.
    """
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise SystemExit(
            "Chromium is needed for the browser tests: install Debian's "
            "'chromium' package (apt-get install chromium) and run again"
        )
    step("installing Debian's Chromium for the browser tests")
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=apt_env)
    run("apt-get", "install", "-y", "-qq", "chromium", env=apt_env)


def build_page() -> Path:
    """Build dist/localjwt.html from web/, src/ and the pinned inputs."""
    sys.path.insert(0, str(ROOT / "tools"))
    import page  # noqa: PLC0415 - tools/ is not a package on the default path

    step("building the offline page")
    return page.build(ROOT, DIST)


def serve(port: int) -> None:
    """Build, then serve dist/ on loopback until interrupted."""
    built = build_page()
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(DIST)
    )
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        bound = server.server_address[1]
        print(f"\nServing  http://127.0.0.1:{bound}/{built.name}")
        print(f"Offline  {built.as_uri()}  (open it from disk, no server needed)")
        print("Press Ctrl+C to stop.", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("\nStopped.")


def test(pytest_args: list[str]) -> None:
    """Set everything up, then run the same checks as CI."""
    ensure_venv()
    ensure_chromium()
    build_page()
    tool = VENV / "bin"
    step("ruff check")
    run(tool / "ruff", "check", ".")
    step("ruff format --check")
    run(tool / "ruff", "format", "--check", ".")
    step("mypy --strict src")
    run(tool / "mypy")
    step("pytest")
    run(VENV_PYTHON, "-m", "pytest", *pytest_args)


def main() -> None:
    """Dispatch to build (the default), serve or test."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("build", help="build dist/localjwt.html (the default)")
    serve_parser = commands.add_parser("serve", help="build and serve on loopback")
    serve_parser.add_argument("--port", type=int, default=8000)
    test_parser = commands.add_parser("test", help="set up and run every check")
    test_parser.add_argument("pytest_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()

    if args.command == "serve":
        serve(args.port)
    elif args.command == "test":
        test(args.pytest_args)
    else:
        build_page()


if __name__ == "__main__":
    main()
