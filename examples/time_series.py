"""Write sensor readings and read their history back, exact to the nanosecond.

Runs against the embedded emulator; with `--aws` against your account, where the time-series
property needs a data connector (`--connector-lambda ARN`; see examples/_where.py).

Run: python examples/time_series.py [--aws --role ARN --s3-location ARN --connector-lambda ARN]
"""

from __future__ import annotations

from datetime import datetime, timezone

import _where

from twinkit import Component, DataTypes, PropertyDefinition, models
from twinkit.values import format_time, from_data_value, parse_time, to_data_value

START = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z, in nanoseconds
EVERY = 250_000_001  # a little over 250 ms between readings


def main() -> None:
    options = _where.parser(__doc__).parse_args()
    with _where.twinmaker(options) as tm, _where.workspace(tm, options, "cookie-factory") as ws:
        if not _where.has_time_series(options):
            return
        oven = ws.component_types.create(
            "com.example.oven",
            functions=_where.time_series_functions(options),
            properties={"temperature": PropertyDefinition(DataTypes.DOUBLE, time_series=True)},
        ).wait_until_active()
        ws.entities.create("Oven 1", entity_id="oven-1", components={"oven": Component(oven)})

        # Write 30 readings: BatchPutPropertyValues takes 10 entries of 10 values per call.
        reference = models.EntityPropertyReference(
            entity_id="oven-1", component_name="oven", property_name="temperature"
        )
        readings = [(START + i * EVERY, 180.0 + i * 0.5) for i in range(30)]
        for first in range(0, len(readings), 10):
            entry = models.PropertyValueEntry(
                entity_property_reference=reference,
                property_values=[
                    models.PropertyValue(time=format_time(at), value=to_data_value(celsius))
                    for at, celsius in readings[first : first + 10]
                ],
            )
            failed = tm.batch_put_property_values(workspace_id=ws.id, entries=[entry])
            assert failed.error_entries == []

        # Read the history back, lazily, page by page.
        history = tm.paginate.get_property_value_history(
            workspace_id=ws.id,
            entity_id="oven-1",
            component_name="oven",
            selected_properties=["temperature"],
            start_time=format_time(datetime(2026, 1, 1, tzinfo=timezone.utc)),
            end_time=format_time(datetime(2026, 1, 2, tzinfo=timezone.utc)),
            page_size=10,
        )
        back = [
            (parse_time(value.time or ""), from_data_value(value.value))
            for series in history
            for value in series.values or []
        ]
        assert back == readings  # every nanosecond, every value
        first_time, first_value = back[0]
        last_time, _ = back[-1]
        print(f"{len(back)} readings, first {format_time(first_time)} = {first_value} °C")
        print(f"last at {format_time(last_time)}: {last_time - first_time} ns later")

        # The emulator can interpolate, as the service does, at a fixed interval.
        interpolated = tm.get_property_value_history(
            workspace_id=ws.id,
            entity_id="oven-1",
            component_name="oven",
            selected_properties=["temperature"],
            start_time=format_time(START),
            end_time=format_time(START + 5 * 1_000_000_000),
            interpolation=models.InterpolationParameters(
                interpolation_type=models.InterpolationType.LINEAR, interval_in_seconds=1
            ),
        )
        for series in interpolated.property_values:
            for value in series.values or []:
                print(f"  {value.time}: {from_data_value(value.value):.3f} °C (interpolated)")


if __name__ == "__main__":
    main()
