"""Ingest 100,000 sensor readings in one call, and read every one back, exact to the nanosecond.

Runs against the embedded emulator; with `twinkit.TwinMaker()` it runs against AWS (where the
time-series properties need a data connector, as TwinMaker requires). `--progress` shows a
progress bar (`pip install 'twinkit[tqdm]'`).

Run: python examples/bulk_ingest.py [--progress]
"""

from __future__ import annotations

import sys
import time

import twinkit
import twinkit.local
from twinkit import Component, DataTypes, PropertyDefinition

START = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z, in nanoseconds
EVERY = 100_000_001  # a little over 100 ms between readings
SENSORS = [f"sensor{n}" for n in range(10)]
PUMPS = [f"pump-{n}" for n in range(5)]
READINGS = 2_000  # per sensor: 5 pumps x 10 sensors x 2,000 = 100,000 values


def main() -> None:
    with twinkit.local.emulator() as twin:
        tm = twinkit.TwinMaker(client=twin.client())
        ws = tm.workspaces.create("water-works")
        pump_type = ws.component_types.create(
            "com.example.pump",
            properties={s: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for s in SENSORS},
        )
        for pump in PUMPS:
            ws.entities.create(pump, entity_id=pump, components={"pump": Component(pump_type)})

        # {entity: {component: {property: [(time, value), ...]}}}: any size, one call.
        readings = {
            pump: {
                "pump": {
                    sensor: [(START + k * EVERY + s, 20.0 + s + k / 64) for k in range(READINGS)]
                    for s, sensor in enumerate(SENSORS)
                }
            }
            for pump in PUMPS
        }
        started = time.perf_counter()
        result = ws.put_values(readings, progress="--progress" in sys.argv)
        took = time.perf_counter() - started
        print(f"wrote {result.written:,} values in {result.calls:,} calls ({took:.1f} s)")
        result.raise_for_failures()  # every value was written, or this says which were not

        # Read everything back as flat typed points, and compare value by value.
        back = 0
        for pump in PUMPS:
            history = ws.entities(pump).history(
                "pump", *SENSORS, start=START, end=START + READINGS * EVERY
            )
            for point in history:
                written = dict(readings[pump]["pump"][point.property.property_name])
                assert written[point.time_ns] == point.value
                back += 1
        assert back == result.written == 100_000
        print(f"read back {back:,} values, every one exact to the nanosecond")


if __name__ == "__main__":
    main()
