"""Keys shared by the core tests, made once per session so generation is paid once."""

from __future__ import annotations

import pytest
from keyforms import KeyForms, make_key


@pytest.fixture(scope="session")
def key() -> KeyForms:
    """A 2048-bit key, the size of every Mux signing key."""
    return make_key()


@pytest.fixture(scope="session")
def weak_key() -> KeyForms:
    """A 1024-bit key: usable, but under what RS256 requires."""
    return make_key(1024)


@pytest.fixture(scope="session")
def key_pool() -> list[KeyForms]:
    """A few keys of different sizes for property tests to draw from."""
    return [make_key(bits) for bits in (2048, 2048, 3072, 4096)]
