"""Ingest 100,000 sensor readings in one call, and read every one back, exact to the nanosecond.

Runs against the embedded emulator; with `--aws` against your account, where the time-series
properties need a data connector (`--connector-lambda ARN`; see examples/_where.py).
`--progress` shows a progress bar (`pip install 'twinkit[tqdm]'`).

Run: python examples/bulk_ingest.py [--progress] [--readings N] [--aws --role ARN --s3-location ARN
     --connector-lambda ARN]
"""

from __future__ import annotations

import time

import _where

from twinkit import Component, DataTypes, PropertyDefinition

START = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z, in nanoseconds
EVERY = 100_000_001  # a little over 100 ms between readings
SENSORS = [f"sensor{n}" for n in range(10)]
PUMPS = [f"pump-{n}" for n in range(5)]
READINGS = 2_000  # per sensor: 5 pumps x 10 sensors x 2,000 = 100,000 values


def main() -> None:
    parser = _where.parser(__doc__)
    parser.add_argument("--progress", action="store_true", help="show a progress bar (tqdm)")
    parser.add_argument(
        "--readings", type=int, default=READINGS, help=f"per sensor (default {READINGS:,})"
    )
    options = parser.parse_args()
    count = options.readings
    with _where.twinmaker(options) as tm, _where.workspace(tm, options, "water-works") as ws:
        if not _where.has_time_series(options):
            return
        pump_type = ws.component_types.create(
            "com.example.pump",
            functions=_where.time_series_functions(options),
            properties={s: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for s in SENSORS},
        ).wait_until_active()
        for pump in PUMPS:
            ws.entities.create(pump, entity_id=pump, components={"pump": Component(pump_type)})

        # {entity: {component: {property: [(time, value), ...]}}}: any size, one call.
        readings = {
            pump: {
                "pump": {
                    sensor: [(START + k * EVERY + s, 20.0 + s + k / 64) for k in range(count)]
                    for s, sensor in enumerate(SENSORS)
                }
            }
            for pump in PUMPS
        }
        started = time.perf_counter()
        result = ws.put_values(readings, progress=options.progress)
        took = time.perf_counter() - started
        print(f"wrote {result.written:,} values in {result.calls:,} calls ({took:.1f} s)")
        result.raise_for_failures()  # every value was written, or this says which were not

        # Read everything back as flat typed points, and compare value by value.
        back = 0
        for pump in PUMPS:
            history = ws.entities(pump).history(
                "pump", *SENSORS, start=START, end=START + count * EVERY
            )
            for point in history:
                written = dict(readings[pump]["pump"][point.property.property_name])
                assert written[point.time_ns] == point.value
                back += 1
        assert back == result.written == len(PUMPS) * len(SENSORS) * count
        print(f"read back {back:,} values, every one exact to the nanosecond")


if __name__ == "__main__":
    main()
