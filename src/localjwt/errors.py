"""The one exception tree of localjwt.

Every message says what was expected and what was found, in one sentence
with no closing period, and never contains key material. Each error names
the input it concerns in ``field`` (``private_key``, ``expiration``,
``params.time``, ...) so the command line and the page can point at it.
"""

from __future__ import annotations

__all__ = [
    "ClaimsError",
    "ExpiryError",
    "KeyFormatError",
    "LocalJWTError",
    "ParameterError",
    "TokenFormatError",
]


class LocalJWTError(Exception):
    """Raised for any input localjwt cannot use; the base of all its errors."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        if field is not None:
            self.field = field

    @property
    def message(self) -> str:
        """The message alone, for a person to read."""
        return str(self.args[0])


class KeyFormatError(LocalJWTError):
    """Raised when pasted text is not a usable RSA key of the kind needed."""

    field = "private_key"


class ExpiryError(LocalJWTError):
    """Raised when an expiry is unreadable, in the past or in milliseconds."""

    field = "expiration"


class ClaimsError(LocalJWTError):
    """Raised when claims, IDs or the token type cannot make a valid token."""


class ParameterError(ClaimsError):
    """Raised when a Mux parameter has the wrong name, type or range."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message, field=f"params.{name}")
        self.name = name


class TokenFormatError(LocalJWTError):
    """Raised when text is not a compact JWT or a URL carrying one."""

    field = "token"
