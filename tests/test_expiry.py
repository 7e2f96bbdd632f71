"""Expiry: durations and dates into exp, and exp back into words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from keyforms import NOW

from localjwt import ExpiryError
from localjwt.expiry import (
    DEFAULT_EXPIRATION,
    describe_exp,
    format_exp,
    looks_like_milliseconds,
    parse_expiration,
)

MINUTE, HOUR, DAY = 60, 3600, 86400

PAST_NOW = "Expected an expiry in the future, found 2026-01-01 00:00 UTC, now"

DURATION_HINT = (
    "Expected a duration such as 90s, 15m, 12h, 7d, 2w or 1h30m, "
    "or a date such as 2026-12-31T18:00Z, found {!r}"
)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("90s", 90),
        ("15m", 15 * MINUTE),
        ("12h", 12 * HOUR),
        ("7d", 7 * DAY),
        ("2w", 14 * DAY),
        ("1h30m", 90 * MINUTE),
        ("1 day 12 hours", 36 * HOUR),
        ("1 day, 12 hours", 36 * HOUR),
        ("2 weeks 1 day", 15 * DAY),
        ("1.5h", 90 * MINUTE),
        ("  7D  ", 7 * DAY),
        ("30 mins", 30 * MINUTE),
        ("45 sec", 45),
        ("3600", HOUR),
        (" 600 ", 10 * MINUTE),
        (3600, HOUR),
        (90.0, 90),
    ],
)
def test_durations_count_from_now(value: str | int | float, seconds: int) -> None:
    """Durations, with Mux's s/m/h/d/w suffixes or none, are added to now."""
    assert parse_expiration(value, now=NOW) == NOW + seconds


def test_the_default_is_mux_tools_seven_days() -> None:
    """Node SDK and CLI default to 7d (Elixir to 604800 s: the same)."""
    assert parse_expiration(DEFAULT_EXPIRATION, now=NOW) == NOW + 604_800


def test_a_fractional_now_is_rounded_down() -> None:
    """exp is a whole number of seconds (RFC 7519 NumericDate, as Mux reads it)."""
    assert parse_expiration("90s", now=NOW + 0.75) == NOW + 90


@pytest.mark.parametrize(
    ("value", "moment"),
    [
        ("2026-12-31", datetime(2026, 12, 31, tzinfo=UTC)),
        ("2026-12-31T18:00", datetime(2026, 12, 31, 18, tzinfo=UTC)),
        ("2026-12-31T18:00Z", datetime(2026, 12, 31, 18, tzinfo=UTC)),
        ("2026-12-31 18:00:30", datetime(2026, 12, 31, 18, 0, 30, tzinfo=UTC)),
        (
            "2026-12-31T18:00+02:00",
            datetime(2026, 12, 31, 18, tzinfo=timezone(timedelta(hours=2))),
        ),
        (
            "2026-12-31T18:00-05:30",
            datetime(
                2026, 12, 31, 18, tzinfo=timezone(-timedelta(hours=5, minutes=30))
            ),
        ),
        (datetime(2026, 6, 1, 12), datetime(2026, 6, 1, 12, tzinfo=UTC)),
        (
            datetime(2026, 6, 1, 12, tzinfo=timezone(timedelta(hours=9))),
            datetime(2026, 6, 1, 3, tzinfo=UTC),
        ),
    ],
)
def test_dates_become_their_unix_time(value: str | datetime, moment: datetime) -> None:
    """ISO 8601 dates keep their offset; one without an offset is UTC."""
    assert parse_expiration(value, now=NOW) == int(moment.timestamp())


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "2025-12-31",
            "Expected an expiry in the future, found 2025-12-31 00:00 UTC, 1 day ago",
        ),
        (
            "2025-12-31T21:00Z",
            "Expected an expiry in the future, found 2025-12-31 21:00 UTC, 3 hours ago",
        ),
        (
            "2020-01-01",
            "Expected an expiry in the future, found 2020-01-01 00:00 UTC, 6 years ago",
        ),
        (
            datetime(2026, 1, 1, tzinfo=UTC),
            PAST_NOW,
        ),
        (
            "0s",
            PAST_NOW,
        ),
    ],
)
def test_an_expiry_in_the_past_is_refused(value: str | datetime, message: str) -> None:
    """A token that is already expired is never signed; the message says when."""
    with pytest.raises(ExpiryError) as caught:
        parse_expiration(value, now=NOW)

    assert caught.value.message == message
    assert caught.value.field == "expiration"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            1_767_225_600_000,
            "Expected seconds, found 1767225600000, which looks like milliseconds "
            "or a timestamp; write a duration (7d) or a date (2026-12-31T18:00Z)",
        ),
        (
            "1767225600000",
            "Expected seconds, found 1767225600000, which looks like milliseconds "
            "or a timestamp; write a duration (7d) or a date (2026-12-31T18:00Z)",
        ),
        (
            1_798_675_200,
            "Expected a duration in seconds, found 1798675200, which looks like "
            "a Unix time; write it as a date (2026-12-31T18:00Z) instead",
        ),
        (float("inf"), None),
    ],
)
def test_milliseconds_and_unix_times_are_refused(
    value: str | int | float, message: str | None
) -> None:
    """Numbers that cannot be a duration say what they look like instead."""
    with pytest.raises(ExpiryError) as caught:
        parse_expiration(value, now=NOW)

    if message is not None:
        assert caught.value.message == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Expected an expiry such as 7d, found nothing"),
        ("   ", "Expected an expiry such as 7d, found nothing"),
        (0, "Expected a duration above zero, found 0"),
        (-5, "Expected a duration above zero, found -5"),
        ("soon", DURATION_HINT.format("soon")),
        ("-5", DURATION_HINT.format("-5")),
        ("7 days and 2 hours", DURATION_HINT.format("7 days and 2 hours")),
        ("1 fortnight", DURATION_HINT.format("1 fortnight")),
        ("x" * 60, DURATION_HINT.format("x" * 40)),
        (
            "2026-13-45",
            "Expected an ISO 8601 date such as 2026-12-31T18:00Z, found '2026-13-45'",
        ),
    ],
)
def test_unreadable_expiries_are_refused(value: str | int, message: str) -> None:
    """Each unreadable expiry gets a message naming the forms that work."""
    with pytest.raises(ExpiryError) as caught:
        parse_expiration(value, now=NOW)

    assert caught.value.message == message


def test_not_a_number_is_refused() -> None:
    """NaN (which Python's json module reads) is an ExpiryError, not a crash."""
    with pytest.raises(ExpiryError):
        parse_expiration(float("nan"), now=NOW)


@pytest.mark.parametrize(
    ("exp", "words"),
    [
        (NOW + 7 * DAY, "in 7 days, 2026-01-08 00:00 UTC"),
        (NOW + DAY, "in 1 day, 2026-01-02 00:00 UTC"),
        (NOW + 90 * MINUTE, "in 1 hour, 2026-01-01 01:30 UTC"),
        (NOW + 61, "in 1 minute, 2026-01-01 00:01 UTC"),
        (NOW + 1, "in 1 second, 2026-01-01 00:00 UTC"),
        (NOW + 400 * DAY, "in 1 year, 2027-02-05 00:00 UTC"),
        (NOW - 3 * HOUR, "3 hours ago, 2025-12-31 21:00 UTC"),
        (NOW - 2 * MINUTE, "2 minutes ago, 2025-12-31 23:58 UTC"),
        (
            NOW * 1000,
            "2026-01-01 00:00 UTC if read as milliseconds; exp must be in seconds",
        ),
    ],
)
def test_describe_exp_says_when_in_words(exp: int, words: str) -> None:
    """exp reads as a span from now and a UTC date, to the minute."""
    assert describe_exp(exp, now=NOW) == words


def test_format_exp_reads_milliseconds_as_what_they_mean() -> None:
    """A millisecond exp is shown as the date it was meant to be."""
    assert format_exp(NOW) == "2026-01-01 00:00 UTC"
    assert format_exp(NOW * 1000) == "2026-01-01 00:00 UTC"


def test_format_exp_says_when_a_number_is_not_a_date() -> None:
    """Numbers past any calendar are named as such, not a crash."""
    assert format_exp(10**20).endswith("(not a date)")


def test_milliseconds_start_past_any_plausible_seconds() -> None:
    """2286 in seconds is the line; 10**10 ms is April 1970, never a real exp."""
    assert not looks_like_milliseconds(9_999_999_999)
    assert looks_like_milliseconds(10_000_000_000)
    assert looks_like_milliseconds(NOW * 1000)
