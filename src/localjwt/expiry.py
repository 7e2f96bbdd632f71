"""Expiry: read durations and dates into ``exp``, and say ``exp`` in words.

``exp`` is seconds since the epoch (RFC 7519 section 4.1.4). Mux's tools take
durations such as ``7d`` (their default) or bare seconds; a date is accepted
too. A value in milliseconds, a common mistake in published examples, would
mean the year ~57000 and is refused.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

from .errors import ExpiryError

__all__ = [
    "DEFAULT_EXPIRATION",
    "describe_exp",
    "format_exp",
    "looks_like_milliseconds",
    "parse_duration",
    "parse_expiration",
]

DEFAULT_EXPIRATION = "7d"

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_UNIT_SPELLINGS = {
    "s": ("s", "sec", "secs", "second", "seconds"),
    "m": ("m", "min", "mins", "minute", "minutes"),
    "h": ("h", "hr", "hrs", "hour", "hours"),
    "d": ("d", "day", "days"),
    "w": ("w", "week", "weeks"),
}
_UNIT_NAMES = {name: unit for unit, names in _UNIT_SPELLINGS.items() for name in names}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*,?", re.I)

# Any exp at or past this is milliseconds (2286-11-20 in seconds); also the
# point past which a bare number cannot be a duration in seconds.
_MILLISECONDS_FROM = 10**10


def looks_like_milliseconds(exp: int | float) -> bool:
    """Whether an ``exp`` is so large it must be milliseconds, not seconds."""
    return exp >= _MILLISECONDS_FROM


def parse_expiration(value: str | int | float | datetime, *, now: float) -> int:
    """Turn a duration, bare seconds or a date-time into an ``exp`` after ``now``.

    Durations: ``90s``, ``15m``, ``12h``, ``7d``, ``2w`` and combinations such
    as ``1h30m`` or ``1 day 12 hours``. Bare numbers are seconds from now, as in
    Mux's tools. Dates: ISO 8601 (``2026-12-31``, ``2026-12-31T18:00Z``); one
    without an offset is taken as UTC.
    """
    if isinstance(value, bool):
        raise ExpiryError(f"Expected a duration or a date, found {value}")
    if isinstance(value, datetime):
        exp = _from_datetime(value)
    elif isinstance(value, int | float):
        exp = _from_seconds(value, now)
    else:
        text = value.strip()
        if not text:
            raise ExpiryError("Expected an expiry such as 7d, found nothing")
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            exp = _from_seconds(float(text), now)
        elif re.fullmatch(r"\d{4}-\d\d-\d\d.*", text):
            exp = _from_datetime(_parse_date(text))
        else:
            exp = int(now + parse_duration(text))
    if exp <= now:
        when = "now" if exp == int(now) else _ago(now - exp)
        raise ExpiryError(
            f"Expected an expiry in the future, found {format_exp(exp)}, {when}"
        )
    return exp


def _from_seconds(seconds: float, now: float) -> int:
    if not math.isfinite(seconds):
        raise ExpiryError(f"Expected a duration in seconds, found {seconds}")
    if seconds >= _MILLISECONDS_FROM:
        raise ExpiryError(
            f"Expected seconds, found {seconds:.0f}, which looks like milliseconds "
            "or a timestamp; write a duration (7d) or a date (2026-12-31T18:00Z)"
        )
    if seconds >= 10**9:
        raise ExpiryError(
            f"Expected a duration in seconds, found {seconds:.0f}, which looks like "
            "a Unix time; write it as a date (2026-12-31T18:00Z) instead"
        )
    if seconds <= 0:
        raise ExpiryError(f"Expected a duration above zero, found {seconds:g}")
    return int(now + seconds)


def parse_duration(text: str) -> float:
    """Seconds in a duration: ``90s``, ``7d``, ``1h30m``, ``1 day 12 hours``."""
    lowered = text.lower()
    parts = list(_PART.finditer(lowered))
    whole = "".join(part.group(0) for part in parts) == lowered
    if parts and whole and all(part.group(2) in _UNIT_NAMES for part in parts):
        return sum(
            float(part.group(1)) * _UNIT_SECONDS[_UNIT_NAMES[part.group(2)]]
            for part in parts
        )
    raise ExpiryError(
        f"Expected a duration such as 90s, 15m, 12h, 7d, 2w or 1h30m, or a date "
        f"such as 2026-12-31T18:00Z, found {text[:40]!r}"
    )


def _parse_date(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ExpiryError(
            f"Expected an ISO 8601 date such as 2026-12-31T18:00Z, found {text[:40]!r}"
        ) from None


def _from_datetime(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def format_exp(exp: int | float) -> str:
    """``exp`` as a UTC date and time, to the minute: ``2026-12-10 15:04 UTC``."""
    seconds = exp / 1000 if looks_like_milliseconds(exp) else exp
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return f"{exp:.0f} (not a date)"
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _span(seconds: float) -> str:
    """A span of time in the largest whole unit: 7 days, 3 hours, 1 minute."""
    seconds = abs(seconds)
    for name, size in (
        ("year", 31_557_600),
        ("day", 86400),
        ("hour", 3600),
        ("minute", 60),
    ):
        # A token signed for 7d is read a moment later: say 7 days, not 6.
        count = int(seconds / size + 0.01)
        if count >= 1:
            return f"{count} {name}{'s' if count != 1 else ''}"
    count = int(seconds)
    return f"{count} second{'s' if count != 1 else ''}"


def _ago(seconds: float) -> str:
    return f"{_span(seconds)} ago"


def describe_exp(exp: int | float, *, now: float) -> str:
    """``exp`` in words: ``in 7 days, 2026-12-10 15:04 UTC`` or ``3 hours ago, ...``."""
    if looks_like_milliseconds(exp):
        return f"{format_exp(exp)} if read as milliseconds; exp must be in seconds"
    when = f"in {_span(exp - now)}" if exp > now else _ago(now - exp)
    return f"{when}, {format_exp(exp)}"
