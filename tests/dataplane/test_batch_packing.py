"""Packing: never more than 10 entries x 10 values per call, every value exactly once."""

from __future__ import annotations

from collections import deque

from hypothesis import given
from hypothesis import strategies as st

from twinkit.dataplane._batch import MAX_ENTRIES, MAX_VALUES, Pending, Ref, pack

refs = st.builds(
    Ref,
    st.sampled_from(["pump-1", "pump-2", "mixer"]),
    st.sampled_from(["pump", "motor/bearing"]),
    st.sampled_from(["rpm", "temp", "flow", "p0", "p1"]),
)
counts = st.dictionaries(refs, st.integers(min_value=0, max_value=130), max_size=12)


def _queues(sizes: dict[Ref, int]) -> tuple[dict[Ref, deque[Pending]], list[Pending]]:
    queues: dict[Ref, deque[Pending]] = {}
    made: list[Pending] = []
    for ref, size in sizes.items():
        values = [Pending(ref, n, f"t{n}", {"doubleValue": float(n)}) for n in range(size)]
        if values:
            queues[ref] = deque(values)
        made.extend(values)
    return queues, made


@given(counts)
def test_every_value_is_packed_exactly_once_within_the_limits(sizes: dict[Ref, int]) -> None:
    queues, made = _queues(sizes)
    calls = []
    while queues:
        calls.append(pack(queues))
    packed = [value for call in calls for entry in call for value in entry]
    assert sorted(map(id, packed)) == sorted(map(id, made))  # each value once, none lost
    for call in calls:
        assert 1 <= len(call) <= MAX_ENTRIES
        for entry in call:
            assert 1 <= len(entry) <= MAX_VALUES
            assert len({value.ref for value in entry}) == 1  # an entry is one property
    # As few entries as one property per entry allows, and calls filled with them in order.
    entries = sum(-(-size // MAX_VALUES) for size in sizes.values())
    assert sum(len(call) for call in calls) == entries
    assert len(calls) == -(-entries // MAX_ENTRIES)


@given(counts)
def test_a_property_keeps_its_order_across_calls(sizes: dict[Ref, int]) -> None:
    queues, _ = _queues(sizes)
    seen: dict[Ref, list[int]] = {}
    while queues:
        for entry in pack(queues):
            seen.setdefault(entry[0].ref, []).extend(value.ns for value in entry)
    assert seen == {ref: list(range(size)) for ref, size in sizes.items() if size}


def test_a_reference_names_a_composite_component_by_its_path() -> None:
    assert Ref("e", "motor/bearing", "temp").wire() == {
        "entityId": "e",
        "componentPath": "motor/bearing",
        "propertyName": "temp",
    }
    assert Ref("e", "motor", "temp").wire()["componentName"] == "motor"
