"""JSON objects typed by people, and what they are told when one is wrong."""

from __future__ import annotations

import pytest

from localjwt import ClaimsError
from localjwt.jsontext import parse_object


def test_an_object_parses_and_empty_text_is_an_empty_object() -> None:
    assert parse_object('{"a": [1, 2]}', field="custom") == {"a": [1, 2]}
    assert parse_object("  ", field="custom") == {}
    assert parse_object(None, field="custom") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{'a': 1}",
            "Expected a JSON object, found JSON that does not parse (line 1, column 2)",
        ),
        ("[1]", "Expected a JSON object, found list"),
        ("7", "Expected a JSON object, found int"),
        ("[" * 100_000, "Expected a JSON object, found JSON nested too deeply"),
    ],
)
def test_anything_else_says_where_it_went_wrong(text: str, message: str) -> None:
    """The message names the place or the type, never the text itself."""
    with pytest.raises(ClaimsError) as raised:
        parse_object(text, field="payload")
    assert raised.value.message == message
    assert raised.value.field == "payload"
