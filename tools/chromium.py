"""Debian's Chromium as the tests and benchmarks launch it."""

__all__ = ["CHROMIUM", "CHROMIUM_ARGS"]

# Playwright drives this binary (Debian's chromium package); its own browser
# download cannot reach this network and is never used.
CHROMIUM = "/usr/bin/chromium"

# Headless as root, with nothing that phones home: without the background
# networking flags Chromium tries many connections the closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
