"""TwinMaker's `Time` strings and nanosecond-exact times, with integer arithmetic only.

```python
from twinkit.times import format_time, parse_time, to_ns

format_time(1_767_323_045_123_456_789)                   # '2026-01-02T03:04:05.123456789Z'
parse_time("2026-01-02T04:04:05.123456789+01:00")        # 1767323045123456789
to_ns("2026-01-02T03:04:05Z")                            # also datetimes, Timestamps, ints
```

Both the SDK and the emulator (`twinkit.local`) use this module, so a time means the same
nanoseconds on both sides. numpy and pandas values are accepted where they fit; neither
library is imported here.
"""

from __future__ import annotations

import functools
import re
import sys
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from twinkit.errors import Problem, ValidationError

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "MAX_NS",
    "MIN_NS",
    "NS_PER_SECOND",
    "datetime_ns",
    "format_time",
    "ns_datetime",
    "parse_time",
    "parse_time_datetime",
    "to_ns",
]

NS_PER_SECOND = 1_000_000_000
_NS = NS_PER_SECOND
_DAY_NS = 86_400 * _NS
_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _describe(value: object) -> str:
    """`bool True`, `str 'abc'`, `float 1.5`; a type name for anything else."""
    if value is None:
        return "None"
    if isinstance(value, (bool, int, float, str)):
        text = repr(value)
        if len(text) > 42:
            text = text[:38] + ("...'" if isinstance(value, str) else "...")
        return f"{type(value).__name__} {text}"
    return type(value).__name__


def _numpy() -> Any:
    """The numpy module if it is already imported (only then can a value be a numpy one)."""
    return sys.modules.get("numpy")


def _pandas() -> Any:
    """The pandas module if it is already imported."""
    return sys.modules.get("pandas")


def _delta_ns(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * _NS + delta.microseconds * 1_000


def _wall_ns(moment: datetime) -> int:
    """Nanoseconds from 1970-01-01T00:00 to `moment`'s wall-clock time (its zone ignored)."""
    return _delta_ns(moment.replace(tzinfo=None) - _EPOCH)


MIN_NS = _wall_ns(datetime.min)
"""0001-01-01T00:00:00Z in nanoseconds since the epoch: the earliest `Time`."""
MAX_NS = _wall_ns(datetime.max) + 999
"""9999-12-31T23:59:59.999999999Z: the latest `Time` (a `datetime` holds years 0001..9999)."""

_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]{1,9}))?(Z|[+-][0-9]{2}:[0-9]{2})"
)
_TIME_FORMAT = "YYYY-MM-DDThh:mm:ss[.SSSSSSSSS][Z|±HH:mm]"

# numpy datetime64 units of fixed length, in nanoseconds (as a numerator, denominator).
_NUMPY_UNITS = {
    "W": (7 * 86_400 * _NS, 1),
    "D": (86_400 * _NS, 1),
    "h": (3_600 * _NS, 1),
    "m": (60 * _NS, 1),
    "s": (_NS, 1),
    "ms": (1_000_000, 1),
    "us": (1_000, 1),
    "ns": (1, 1),
    "ps": (1, 1_000),
    "fs": (1, 1_000_000),
    "as": (1, 1_000_000_000),
}


def _time_error(path: str, message: str) -> ValidationError:
    return ValidationError([Problem(path, "", message)])


def datetime_ns(moment: datetime) -> int:
    """An aware `datetime` as nanoseconds since the epoch (its microseconds, exactly).

    Raises:
        ValidationError: `moment` is naive.
    """
    offset = moment.utcoffset()
    if offset is None:
        raise _time_error("t", "expected an aware datetime, got a naive one")
    return _wall_ns(moment) - _delta_ns(offset)


def _numpy_datetime_ns(t: Any, np: Any) -> int:
    if np.isnat(t):
        raise _time_error("t", "expected a time, got numpy datetime64 NaT")
    unit, count = np.datetime_data(t.dtype)
    steps: int = int(t.astype(np.int64)) * int(count)
    try:
        if unit == "Y":
            return _wall_ns(datetime(1970 + steps, 1, 1))
        if unit == "M":
            years, month = divmod(steps, 12)
            return _wall_ns(datetime(1970 + years, month + 1, 1))
    except (ValueError, OverflowError):
        raise _time_error("t", f"expected a time in years 0001..9999 (UTC), got {t}") from None
    if unit not in _NUMPY_UNITS:
        raise _time_error("t", f"expected a datetime64 of a known unit, got unit {unit!r}")
    numerator, denominator = _NUMPY_UNITS[unit]
    ns, rest = divmod(steps * numerator, denominator)
    if rest:
        raise _time_error("t", f"expected whole nanoseconds, got {t} (a Time holds no less)")
    return ns


def _time_ns(t: object, path: str = "t") -> int:
    """`t` as nanoseconds since the epoch, exactly."""
    if isinstance(t, bool):
        raise _time_error(
            path, f"expected an aware datetime or int nanoseconds, got {_describe(t)}"
        )
    if isinstance(t, int):
        return int(t)
    pandas = _pandas()
    if pandas is not None and t is pandas.NaT:
        raise _time_error(path, "expected a time, got pandas NaT")
    if isinstance(t, datetime):
        offset = t.utcoffset()
        if offset is None:
            raise _time_error(path, "expected an aware datetime, got a naive one")
        ns = _wall_ns(t) - _delta_ns(offset)
        if pandas is not None and isinstance(t, pandas.Timestamp):
            # A Timestamp's datetime fields stop at microseconds; the rest is `nanosecond`.
            ns += int(t.nanosecond)
        return ns
    np = _numpy()
    if np is not None and isinstance(t, np.datetime64):
        return _numpy_datetime_ns(t, np)
    message = "expected an aware datetime, int nanoseconds, pandas.Timestamp or numpy.datetime64"
    raise _time_error(path, f"{message}; got {_describe(t)}")


def to_ns(t: datetime | int | str | np.datetime64, *, name: str = "t") -> int:
    """Any time twinkit accepts, as nanoseconds since 1970-01-01T00:00:00Z, exactly.

    Args:
        t: An aware `datetime` or `pandas.Timestamp` (its nanoseconds kept); `int`
            nanoseconds; a `numpy.datetime64`, read as UTC; or a `Time` string.
        name: The argument's name, for the error's path (`start`, `end`...).

    Returns:
        Nanoseconds since the epoch.

    Raises:
        ValidationError: naming `name`, for a naive `datetime`, a NaT, a malformed string or
            a value of another type.
    """
    if isinstance(t, str):
        try:
            return parse_time(t)
        except ValidationError as error:
            raise _time_error(name, error.problems[0].message) from None
    return _time_ns(t, name)


@functools.lru_cache(maxsize=4096)
def _day_text(days: int) -> str:
    """`YYYY-MM-DDT` of the day `days` after the epoch (few distinct days per run: cached)."""
    d = _EPOCH + timedelta(days=days)
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}T"


def format_time(t: datetime | int | np.datetime64) -> str:
    """Format a time as TwinMaker's `Time` string, in UTC with nine fraction digits.

    `format_time(datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=timezone.utc))` is
    `'2026-01-02T03:04:05.123456000Z'`. Nothing is rounded: the string holds every
    nanosecond given.

    Args:
        t: An aware `datetime`; `int` nanoseconds since 1970-01-01T00:00:00Z; an aware
            `pandas.Timestamp` (its nanoseconds kept); or a `numpy.datetime64` of any
            unit, read as UTC.

    Returns:
        The `Time` string, e.g. `'2026-01-02T03:04:05.123456789Z'` (30 characters).

    Raises:
        ValidationError: for a naive `datetime` or `Timestamp`, a NaT, a `datetime64` finer
            than nanoseconds that is not a whole number of them, a time outside years
            0001..9999 (UTC), or a value of another type.
    """
    ns = t if type(t) is int else _time_ns(t)
    if not MIN_NS <= ns <= MAX_NS:
        raise _time_error("t", f"expected a time in years 0001..9999 (UTC), got {ns} ns")
    days, rest = divmod(ns, _DAY_NS)
    seconds, fraction = divmod(rest, _NS)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{_day_text(days)}{hours:02d}:{minutes:02d}:{seconds:02d}.{fraction:09d}Z"


_MINUTE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")


@functools.lru_cache(maxsize=4096)
def _minute_ns(text: str) -> int | None:
    """Nanoseconds at the start of the minute `YYYY-MM-DDThh:mm`, or None when it names no
    real minute. Cached: a run of values falls in few distinct minutes, and this is the part
    of reading a time that costs most."""
    if _MINUTE.fullmatch(text) is None:
        return None
    hours, minutes = int(text[11:13]), int(text[14:16])
    if hours >= 24 or minutes >= 60:
        return None
    try:
        day = datetime(int(text[0:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return None
    return _wall_ns(day) + (hours * 60 + minutes) * 60 * _NS


def parse_time(s: str) -> int:
    """Read a TwinMaker `Time` string as nanoseconds since 1970-01-01T00:00:00Z, exactly.

    Accepts `YYYY-MM-DDThh:mm:ss[.SSSSSSSSS][Z|±HH:mm]`: 0 to 9 fraction digits, and `Z`
    or an offset. `parse_time("1970-01-01T01:00:00.5+01:00")` is `500_000_000`.

    Args:
        s: The `Time` string.

    Returns:
        Nanoseconds since the epoch; negative before 1970.

    Raises:
        ValidationError: when `s` is not such a string or names no real date and time.
    """
    if (
        type(s) is str
        and len(s) == 30
        and s[29] == "Z"
        and s[19] == "."
        and s[16] == ":"
        and s.isascii()  # then isdigit() means 0-9 only
    ):
        # The form the service answers with: the minute from a cache, the rest by slicing.
        second, fraction = s[17:19], s[20:29]
        if second.isdigit() and fraction.isdigit() and second < "60":
            minute = _minute_ns(s[:16])
            if minute is not None:
                return minute + int(second) * _NS + int(fraction)
    return _parse_general(s)


def _parse_general(s: str) -> int:
    if not isinstance(s, str):
        raise _time_error("s", f"expected a Time string {_TIME_FORMAT}, got {_describe(s)}")
    match = _TIME.fullmatch(s)
    if match is None:
        raise _time_error("s", f"expected a Time string {_TIME_FORMAT}, got {_describe(s)}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        wall = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError as exc:
        raise _time_error("s", f"expected a real date and time, got {s!r} ({exc})") from None
    offset = 0
    if zone != "Z":
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if hours > 23 or minutes > 59:
            raise _time_error("s", f"expected an offset within ±23:59, got {zone!r} in {s!r}")
        offset = (hours * 3_600 + minutes * 60) * _NS * (-1 if zone[0] == "-" else 1)
    nanoseconds = int(fraction.ljust(9, "0")) if fraction else 0
    return _wall_ns(wall) - offset + nanoseconds


def parse_time_datetime(s: str) -> datetime:
    """Read a TwinMaker `Time` string as an aware `datetime` in UTC.

    A `datetime` holds microseconds: digits after the sixth are dropped (truncated, not
    rounded). Use `parse_time` for the exact nanoseconds.

    Args:
        s: The `Time` string.

    Returns:
        The time, with `tzinfo=timezone.utc`.

    Raises:
        ValidationError: when `s` is malformed (see `parse_time`) or, in UTC, falls
            outside years 0001..9999.
    """
    ns = parse_time(s)
    if not MIN_NS <= ns <= MAX_NS:
        raise _time_error("s", f"expected a time in years 0001..9999 (UTC), got {s!r}")
    return ns_datetime(ns)


def ns_datetime(ns: int) -> datetime:
    """Nanoseconds since the epoch as an aware UTC `datetime` (microseconds, truncated)."""
    seconds, fraction = divmod(ns, _NS)
    return _EPOCH_UTC + timedelta(seconds=seconds, microseconds=fraction // 1_000)
