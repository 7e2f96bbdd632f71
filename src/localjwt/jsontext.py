"""JSON objects typed by people: custom claims, headers, payloads, params."""

from __future__ import annotations

import json
from typing import Any

from .errors import ClaimsError

__all__ = ["parse_object"]


def parse_object(
    text: str | None, *, field: str, expected: str = "a JSON object"
) -> dict[str, Any]:
    """Parse ``text`` as a JSON object; empty text is an empty object.

    The error says where parsing stopped, never what the text held.
    """
    if text is None or not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ClaimsError(
            f"Expected {expected}, found JSON that does not parse "
            f"(line {error.lineno}, column {error.colno})",
            field=field,
        ) from None
    except RecursionError:
        raise ClaimsError(
            f"Expected {expected}, found JSON nested too deeply", field=field
        ) from None
    if not isinstance(value, dict):
        raise ClaimsError(
            f"Expected {expected}, found {type(value).__name__}", field=field
        )
    return value
