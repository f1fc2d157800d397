"""twinkit.times: exact nanosecond times, the fast path agrees with the general one, and
twinkit.values keeps its names."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import twinkit.values
from twinkit import times
from twinkit.errors import ValidationError
from twinkit.times import MAX_NS, MIN_NS, format_time, parse_time, to_ns

ns_times = st.integers(min_value=MIN_NS, max_value=MAX_NS)


@given(ns_times)
def test_format_then_parse_is_exact(ns: int) -> None:
    text = format_time(ns)
    assert len(text) == 30
    assert parse_time(text) == ns
    assert times._parse_general(text) == ns  # the sliced fast path and the regex one agree


_NEAR_MISSES = st.sampled_from(list("0123456789٣²+- _:.TZz\x00é"))


@given(ns_times, st.lists(st.tuples(st.integers(0, 29), _NEAR_MISSES), max_size=3))
def test_the_fast_path_reads_a_near_miss_as_the_general_one_does(
    ns: int, changes: list[tuple[int, str]]
) -> None:
    # Canonical strings with a few characters changed (other digits, signs, spaces, non-ASCII
    # digits, separators): whatever the fast path accepts, the regex path gives the same
    # instant; whatever one refuses, the other refuses with the same message.
    chars = list(format_time(ns))
    for position, char in changes:
        chars[position] = char
    text = "".join(chars)
    try:
        expected: int | str = times._parse_general(text)
    except ValidationError as error:
        expected = str(error)
    try:
        found: int | str = parse_time(text)
    except ValidationError as error:
        found = str(error)
    assert found == expected


@given(ns_times, st.integers(min_value=-23 * 60 + 1, max_value=23 * 60 - 1))
def test_offsets_name_the_same_instant(ns: int, minutes: int) -> None:
    zone = timezone(timedelta(minutes=minutes))
    moment = datetime(2026, 5, 6, 7, 8, 9, 123456, tzinfo=zone)
    text = moment.isoformat()
    assert parse_time(text) == to_ns(moment) == times.datetime_ns(moment)
    assert to_ns(ns) == ns


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30T00:00:00.000000000Z",  # no such day: the fast path must not accept it
        "2026-01-01T24:00:00.000000000Z",
        "2026-01-01T00:60:00.000000000Z",
        "2026-01-01T00:00:60.000000000Z",
        "2026-01-01T00:00:0٣.000000000Z",  # a non-ASCII digit
        "2026-01-01 00:00:00.000000000Z",
    ],
)
def test_malformed_strings_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match=r"^s: expected a"):
        parse_time(text)


def test_to_ns_takes_every_form_and_names_the_argument() -> None:
    ns = 1_767_323_045_123_456_789
    assert to_ns("2026-01-02T03:04:05.123456789Z") == ns
    assert to_ns(pd.Timestamp(ns, tz="UTC")) == ns
    assert to_ns(np.datetime64(ns, "ns")) == ns
    assert to_ns(datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=timezone.utc)) == ns - 789
    with pytest.raises(ValidationError, match=r"^start: expected a Time string"):
        to_ns("soon", name="start")
    with pytest.raises(ValidationError, match=r"^end: expected an aware datetime, got a naive"):
        to_ns(datetime(2026, 1, 1), name="end")
    with pytest.raises(ValidationError, match=r"^end: expected an aware datetime or int"):
        to_ns(True, name="end")  # type: ignore[arg-type]


def test_ns_datetime_truncates_to_microseconds() -> None:
    moment = times.ns_datetime(1_767_323_045_123_456_789)
    assert moment == datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=timezone.utc)


def test_values_keeps_the_time_names() -> None:
    assert twinkit.values.format_time is times.format_time
    assert twinkit.values.parse_time is times.parse_time
    assert twinkit.values.parse_time_datetime is times.parse_time_datetime
    assert {"format_time", "parse_time", "parse_time_datetime"} <= set(twinkit.values.__all__)


def test_the_emulator_uses_the_same_arithmetic() -> None:
    from twinkit.local._backends import values as backend

    assert backend.parse_time is times.parse_time
    assert backend.format_time is times.format_time
    assert backend.datetime_ns is times.datetime_ns
