"""A stored value's answer object is made when an answer first shows it, and a failed
batch write leaves a series exactly as it was."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from twinkit.local._backends.values import Series, _point_wire
from twinkit.local._state import Journal
from twinkit.models import DataValue

TIMES = st.lists(st.integers(0, 10**12), max_size=30)


@given(first=TIMES, second=TIMES, low=st.integers(0, 60), span=st.integers(0, 60))
def test_slices_are_the_values_answer_objects(
    first: list[int], second: list[int], low: int, span: int
) -> None:
    series = Series()
    for n, t in enumerate(first + second):  # out of order, repeats overwrite
        series[t] = DataValue(double_value=float(n))
    high = min(len(series), low + span)
    low = min(low, high)
    got = series.wire_slice(low, high)
    assert got == [_point_wire(series.times[i], series.data[i]) for i in range(low, high)]
    assert series.wire_slice(low, high) == got  # made once, kept


@given(before=TIMES, batch=TIMES)
def test_a_rolled_back_batch_leaves_the_series_as_it_was(
    before: list[int], batch: list[int]
) -> None:
    series = Series()
    for t in before:
        series[t] = DataValue(double_value=1.0)
    kept = dict(series.items())
    journal = Journal()
    journal.put_all(series, [(t, DataValue(double_value=2.0)) for t in batch])
    assert len(journal.touched) == len(batch)
    journal.rollback()
    assert dict(series.items()) == kept
    assert series.times == sorted(kept)
