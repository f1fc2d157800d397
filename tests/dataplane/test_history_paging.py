"""For any values and any page size, a listing read through the emulator's pages is every
value once, in (time, series) order: the emulator's page selection never skips, repeats or
reorders, and the reader's merge across pages and property groups keeps that order."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import twinkit
import twinkit.local
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.times import format_time

NAMES = [f"p{n:02d}" for n in range(12)]

series_times = st.lists(st.integers(min_value=0, max_value=40), max_size=25, unique=True)


@settings(max_examples=25, deadline=None)
@given(
    times=st.lists(series_times, min_size=1, max_size=12),
    page_size=st.integers(min_value=1, max_value=30),
    descending=st.booleans(),
)
def test_every_value_once_in_order(
    times: list[list[int]], page_size: int, descending: bool
) -> None:
    names = NAMES[: len(times)]
    with twinkit.local.emulator(transition_delay=0) as twin:
        client: Any = twin.client()
        tm = twinkit.TwinMaker(client=client)
        ws = tm.workspaces.create("factory")
        kind = ws.component_types.create(
            "com.example.s",
            properties={n: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for n in names},
        )
        entity = ws.entities.create("e", entity_id="e1", components={"c": Component(kind)})
        entries = [
            {
                "entityPropertyReference": {
                    "entityId": "e1",
                    "componentName": "c",
                    "propertyName": name,
                },
                "propertyValues": [
                    {"time": format_time(t), "value": {"doubleValue": float(t * 100 + s)}}
                    for t in ts[first : first + 10]
                ],
            }
            for s, (name, ts) in enumerate(zip(names, times, strict=True))
            for first in range(0, len(ts), 10)
        ]
        for first in range(0, len(entries), 10):
            client.batch_put_property_values(
                workspaceId="factory", entries=entries[first : first + 10]
            )
        history = entity.history(
            "c",
            *names,
            start=0,
            end=40,
            order="DESCENDING" if descending else "ASCENDING",
            page_size=page_size,
        )
        got = [(p.time_ns, p.property.property_name, p.value) for p in history]
    want = [
        (t, name, float(t * 100 + s))
        for s, (name, ts) in enumerate(zip(names, times, strict=True))
        for t in ts
    ]
    want.sort(key=lambda r: (-r[0] if descending else r[0], r[1]))
    assert got == want
