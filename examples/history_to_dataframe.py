"""Write sensor readings, then read their history into a pandas DataFrame (and a plot).

Runs against the embedded emulator; with `--aws` against your account, where the time-series
properties need a data connector (`--connector-lambda ARN`; see examples/_where.py). Needs
pandas (`pip install 'twinkit[pandas]'`); if matplotlib is installed it also saves a PNG plot
(to PLOT, or twinkit_history.png in the temporary directory).

Run: python examples/history_to_dataframe.py [PLOT.png] [--aws --role ARN --s3-location ARN ...]
"""

from __future__ import annotations

import math
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import _where

import twinkit
from twinkit import Component, DataTypes, PropertyDefinition, models
from twinkit.times import format_time, to_ns

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
EVERY = timedelta(seconds=1)
READINGS = 600  # per sensor: ten minutes at one reading a second
SENSORS = [f"zone{n}" for n in range(12)]  # more than one request may select (10)


def reading(sensor: int, k: int) -> float:
    """A made-up temperature: each zone warms up along its own curve."""
    return 20 + sensor + 5 * math.sin(k / 60 + sensor)


def write(tm: twinkit.TwinMaker, workspace_id: str) -> None:
    """Write every reading, 10 entries of 10 values per request (the service's limits)."""
    first_ns, every_ns = to_ns(START), to_ns(START + EVERY) - to_ns(START)
    entries = [
        models.PropertyValueEntry(
            entity_property_reference=models.EntityPropertyReference(
                entity_id="oven-1", component_name="zones", property_name=name
            ),
            property_values=[
                models.PropertyValue(
                    time=format_time(first_ns + k * every_ns),
                    value=models.DataValue(double_value=reading(s, k)),
                )
                for k in range(start, start + 10)
            ],
        )
        for s, name in enumerate(SENSORS)
        for start in range(0, READINGS, 10)
    ]
    for first in range(0, len(entries), 10):
        answer = tm.batch_put_property_values(
            workspace_id=workspace_id, entries=entries[first : first + 10]
        )
        assert not answer.error_entries, answer.error_entries


def main() -> None:
    parser = _where.parser(__doc__)
    parser.add_argument("plot", nargs="?", type=Path, help="where to save the PNG plot")
    options = parser.parse_args()
    with _where.twinmaker(options) as tm, _where.workspace(tm, options, "cookie-factory") as ws:
        if not _where.has_time_series(options):
            return
        zones = ws.component_types.create(
            "com.example.oven_zones",
            functions=_where.time_series_functions(options),
            properties={n: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for n in SENSORS},
        ).wait_until_active()
        oven = ws.entities.create(
            "Oven 1", entity_id="oven-1", components={"zones": Component(zones)}
        )
        write(tm, ws.id)

        # Every time-series property of the component, paged and grouped for you.
        history = oven.history("zones", start=START, end=START + READINGS * EVERY)
        frame = history.to_dataframe()
        print(frame.shape, frame.index.dtype)  # (600, 12) datetime64[ns, UTC]
        print(frame.iloc[:3, :4])
        print(frame.resample("1min").mean().round(2).iloc[:3, :4])

        # The same values one by one, as typed points, lazily.
        first = next(iter(history))
        print(first.property.property_name, format_time(first.time_ns), first.value)
        print(oven.latest("zones", "zone0", "zone11"))

        plot(frame, options.plot)


def plot(frame: Any, path: Path | None) -> None:
    """Save a plot of every zone, if matplotlib is installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot")
        return
    path = path or Path(tempfile.gettempdir()) / "twinkit_history.png"
    axes = frame.plot(figsize=(10, 5), legend=False, title="Oven 1, zone temperatures")
    axes.set_ylabel("°C")
    plt.tight_layout()
    plt.savefig(path)
    plt.close("all")
    print(f"plot saved to {path}")


if __name__ == "__main__":
    main()
