"""`twinkit history` and `twinkit query` against the HTTP emulator, and their bad input.

As in test_cli.py, commands run through click's runner on the console script's `cli` object
with `--endpoint-url` pointing at a `twinkit.local` server: every call crosses botocore and a
socket. Values are written with `ws.put_values` and read back through the command, to CSV and
to Parquet, and compared exactly (times to the nanosecond, floats bit for bit).
"""

from __future__ import annotations

import csv
import io
import json
import math
import struct
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

import twinkit
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.cli._history import csv_value, parse_cli_time
from twinkit.errors import ValidationError
from twinkit.local import ServerHandle
from twinkit.times import MAX_NS, MIN_NS, datetime_ns, format_time, parse_time
from twinkit.values import Relationship

from ._support import ROLE, build_factory, one_line_failure, run, workspace

T0 = datetime_ns(datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)) + 123_456_789
"""A time with every nanosecond digit set."""
# Floats whose text is easy to get wrong: repr must read back to the same bits.
DOUBLES = [0.1, -0.0, 1e-300, 2.0**53 + 2, 1 / 3, -123.456, 5e-324, 1.7976931348623157e308]


def build_plant(tm: twinkit.TwinMaker) -> twinkit.resources.Workspace:
    """A small plant: a line with two mixers, time series on each, mixer-2 feeding mixer-1."""
    tm.pricing_plan.update("STANDARD")  # the knowledge graph answers only under STANDARD
    ws = tm.workspaces.create("plant", role=ROLE)
    mixer = ws.component_types.create(
        "com.example.mixer",
        properties={
            "rpm": PropertyDefinition(DataTypes.DOUBLE, time_series=True),
            "load": PropertyDefinition(DataTypes.DOUBLE, time_series=True),
            "state": PropertyDefinition(DataTypes.STRING, time_series=True),
            "serial": PropertyDefinition(DataTypes.STRING),
            "feeds": PropertyDefinition(DataTypes.relationship(relationship_type="feeds")),
        },
    ).wait_until_active()
    line = ws.entities.create("Line <1>", entity_id="line-1")
    for n in (1, 2):
        line.children.create(
            f"Mixer {n}",
            entity_id=f"mixer-{n}",
            components={
                "mixer": Component(
                    mixer,
                    properties={
                        "serial": f"MX-{n:03}",
                        **({"feeds": Relationship("mixer-1", "mixer")} if n == 2 else {}),
                    },
                )
            },
        ).wait_until_active()
    return ws


Point = tuple[str, int, float]
"""(property, time in ns, value)."""


def write_points(ws: twinkit.resources.Workspace) -> list[Point]:
    """rpm at even steps, load at odd ones (so that the merged order is one order), 250 of
    each: more than a page (200), so the command reads several."""
    rpm = [(T0 + 2 * i * 1_000_001, DOUBLES[i % len(DOUBLES)] * (i + 1)) for i in range(250)]
    load = [(T0 + (2 * i + 1) * 1_000_001, float(i) / 7) for i in range(250)]
    result = ws.put_values({"mixer-1": {"mixer": {"rpm": rpm, "load": load}}})
    result.raise_for_failures()
    points = [("rpm", t, v) for t, v in rpm] + [("load", t, v) for t, v in load]
    return sorted(points, key=lambda p: p[1])


def csv_points(text: str) -> list[Point]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(r["entity_id"], r["component"]) for r in rows} == {("mixer-1", "mixer")}
    return [(r["property"], parse_time(r["time"]), float(r["value"])) for r in rows]


def bits(points: list[Point]) -> list[tuple[str, int, bytes]]:
    """Points with each float as its bytes: -0.0 and 0.0 differ, as they must."""
    return [(name, t, struct.pack("<d", v)) for name, t, v in points]


def test_history_round_trips_through_csv_and_parquet_exactly(
    tm: twinkit.TwinMaker, twinmaker_server: ServerHandle, tmp_path: Path
) -> None:
    expected = write_points(build_plant(tm))
    span = ["--start", format_time(T0), "--end", format_time(T0 + 10**9)]
    args = ["history", "plant", "mixer-1", "mixer", "rpm", "load", *span]

    to_csv = run(twinmaker_server, *args, "--out", str(tmp_path / "x.csv"))
    assert to_csv.exit_code == 0, to_csv.output
    assert "wrote 500 values" in to_csv.output
    text = (tmp_path / "x.csv").read_text()
    assert text.splitlines()[0] == "entity_id,component,property,time,value"
    assert bits(csv_points(text)) == bits(expected)

    to_parquet = run(twinmaker_server, *args, "--out", str(tmp_path / "x.parquet"))
    assert to_parquet.exit_code == 0, to_parquet.output
    table = pq.read_table(tmp_path / "x.parquet")
    assert table.schema.field("time").type == pa.timestamp("ns", "UTC")
    assert table.schema.field("value").type == pa.float64()
    from_parquet = list(
        zip(
            [str(p) for p in table.column("property").to_pylist()],
            table.column("time").cast(pa.int64()).to_pylist(),
            table.column("value").to_pylist(),
            strict=True,
        )
    )
    assert bits(from_parquet) == bits(expected)

    # Without --out: CSV on stdout, the same text as the file.
    to_stdout = run(twinmaker_server, *args)
    assert to_stdout.exit_code == 0, to_stdout.output
    assert to_stdout.stdout == text
    # Newest first, and every time-series property when none is named (state has none).
    newest = run(
        twinmaker_server, "history", "plant", "mixer-1", "mixer", *span, "--order", "descending"
    )
    assert newest.exit_code == 0, newest.output
    assert bits(csv_points(newest.stdout)) == bits(expected[::-1])


def test_times_take_iso_forms_and_other_values_go_to_csv_as_text(
    tm: twinkit.TwinMaker, twinmaker_server: ServerHandle, tmp_path: Path
) -> None:
    ws = build_plant(tm)
    day = datetime(2026, 3, 1, tzinfo=timezone.utc)
    ws.put_values(
        {
            "mixer-2": {
                "mixer": {
                    "state": [(day + timedelta(hours=1), 'running, "fast"')],
                    "rpm": [(day + timedelta(hours=2), math.nan), (day, math.inf)],
                }
            }
        }
    ).raise_for_failures()
    result = run(
        twinmaker_server,
        "history",
        "plant",
        "mixer-2",
        "mixer",
        "state",
        "rpm",
        "--start",
        "2026-03-01",  # a date: midnight UTC
        "--end",
        "2026-03-01T03:00+01:00",  # 02:00 UTC
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))[1:]
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("rpm", "2026-03-01T00:00:00.000000000Z", "inf"),
        ("state", "2026-03-01T01:00:00.000000000Z", 'running, "fast"'),
        ("rpm", "2026-03-01T02:00:00.000000000Z", "nan"),
    ]
    # Mixed types cannot share a Parquet column: one line, and no file.
    mixed = run(
        twinmaker_server,
        *("history", "plant", "mixer-2", "mixer", "state", "rpm"),
        *("--start", "2026-03-01", "--end", "2026-03-02", "--out", str(tmp_path / "m.parquet")),
    )
    assert "Parquet needs one value type" in one_line_failure(mixed)
    assert list(tmp_path.iterdir()) == []


def test_bad_history_input_is_one_line(
    tm: twinkit.TwinMaker, twinmaker_server: ServerHandle, tmp_path: Path
) -> None:
    build_plant(tm)
    span = ("--start", "2026-01-01", "--end", "2026-01-02")

    def failure(*args: str) -> str:
        return one_line_failure(run(twinmaker_server, "history", *args))

    assert "nowhere" in failure("nowhere", "mixer-1", "mixer", "rpm", *span)
    assert "ghost" in failure("plant", "ghost", "mixer", "rpm", *span)
    line = failure("plant", "mixer-1", "pump", "rpm", *span)
    assert "entity 'mixer-1' has no component 'pump' (it has: mixer)" in line
    line = failure("plant", "mixer-1", "mixer", "rpm", "--start", "yesterday", "--end", "now")
    assert "--start: expected an ISO-8601 time" in line
    assert "'yesterday'" in line
    line = failure(
        "plant", "mixer-1", "mixer", "rpm", "--start", "2026-01-01", "--end", "2026-13-01"
    )
    assert line.startswith("Error: --end: ")
    line = failure("plant", "mixer-1", "mixer", "rpm", *span, "--out", str(tmp_path / "x.xlsx"))
    assert "--out: expected a file ending in .csv, .parquet, .pq" in line
    line = failure("plant", "mixer-1", "mixer", "rpm", *span, "--out", str(tmp_path / "a/x.csv"))
    assert line == f"Error: --out: {tmp_path / 'a'}: no such directory"
    # A property the service refuses: its message, on one line, and no file left behind.
    line = failure("plant", "mixer-1", "mixer", "serial", *span, "--out", str(tmp_path / "s.csv"))
    assert "ValidationException" in line
    assert list(tmp_path.iterdir()) == []
    line = failure("plant", "line-1", "mixer", *span)
    assert "entity 'line-1' has no component 'mixer' (it has: none)" in line


def test_parquet_without_pyarrow_names_the_extra(
    tm: twinkit.TwinMaker,
    twinmaker_server: ServerHandle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build_plant(tm)
    # As if pyarrow were not installed: importing it raises ImportError.
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.setitem(sys.modules, name, None)
    out = tmp_path / "x.parquet"
    result = run(
        twinmaker_server,
        *("history", "plant", "mixer-1", "mixer", "rpm"),
        *("--start", "2026-01-01", "--end", "2026-01-02", "--out", str(out)),
    )
    line = one_line_failure(result)
    assert "pip install 'twinkit[arrow]'" in line
    assert not out.exists()


def test_query_prints_a_table_json_and_csv(
    tm: twinkit.TwinMaker, twinmaker_server: ServerHandle
) -> None:
    build_plant(tm)
    statement = (
        "SELECT m, f, t, t.entityName AS name FROM EntityGraph "
        "MATCH (m)-[f:feeds]->(t) WHERE m.entityName = 'Mixer 2'"
    )
    table = run(twinmaker_server, "query", "plant", statement)
    assert table.exit_code == 0, table.output
    header, row = [line for line in table.stdout.splitlines() if "│" in line or "┃" in line]
    assert [cell.strip() for cell in header.strip("┃ ").split("┃")] == ["m", "f", "t", "name"]
    assert [cell.strip() for cell in row.strip("│ ").split("│")] == [
        "Mixer 2 (mixer-2)",
        "feeds",
        "Mixer 1 (mixer-1)",
        "Mixer 1",
    ]

    as_json = run(twinmaker_server, "query", "plant", statement, "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    (found,) = json.loads(as_json.stdout)
    assert found["m"]["entityId"] == "mixer-2"
    assert found["m"]["components"]["mixer"]["properties"]["serial"] == "MX-002"
    assert found["f"] == {
        "relationshipName": "feeds",
        "sourceEntityId": "mixer-2",
        "targetEntityId": "mixer-1",
        "sourceComponentName": "mixer",
        "sourceComponentTypeId": "com.example.mixer",
    }
    assert found["name"] == "Mixer 1"

    as_csv = run(twinmaker_server, "query", "plant", statement, "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [
        ["m", "f", "t", "name"],
        ["Mixer 2 (mixer-2)", "feeds", "Mixer 1 (mixer-1)", "Mixer 1"],
    ]


def test_query_max_rows_and_a_path(tm: twinkit.TwinMaker, twinmaker_server: ServerHandle) -> None:
    build_plant(tm)
    every = "SELECT e.entityName FROM EntityGraph MATCH (e)"
    all_rows = run(twinmaker_server, "query", "plant", every, "--format", "csv")
    assert sorted(all_rows.stdout.splitlines()[1:]) == ["Line <1>", "Mixer 1", "Mixer 2"]
    two = run(twinmaker_server, "query", "plant", every, "--format", "json", "--max-rows", "2")
    assert len(json.loads(two.stdout)) == 2
    path = run(
        twinmaker_server,
        "query",
        "plant",
        "SELECT p FROM EntityGraph MATCH p = (a)-[:feeds]->(b)",
        "--format",
        "csv",
    )
    assert path.stdout.splitlines() == ["p", "Mixer 2 (mixer-2) -[feeds]-> Mixer 1 (mixer-1)"]


def test_bad_queries_are_one_line(tm: twinkit.TwinMaker, twinmaker_server: ServerHandle) -> None:
    build_plant(tm)
    assert "nowhere" in one_line_failure(
        run(twinmaker_server, "query", "nowhere", "SELECT e FROM EntityGraph MATCH (e)")
    )
    line = one_line_failure(run(twinmaker_server, "query", "plant", "SELEKT e FROM EntityGraph"))
    assert "ValidationException" in line


def test_a_query_under_basic_pricing_gives_the_services_reason(
    tm: twinkit.TwinMaker, twinmaker_server: ServerHandle
) -> None:
    tm.workspaces.create("plant", role=ROLE)  # the pricing plan left at its default, BASIC
    line = one_line_failure(
        run(twinmaker_server, "query", "plant", "SELECT e FROM EntityGraph MATCH (e)")
    )
    assert line.startswith("Error: ExecuteQuery failed: ValidationException: ")


def test_import_shows_progress_on_stderr_only(
    tm: twinkit.TwinMaker, twinmaker_server: ServerHandle, tmp_path: Path
) -> None:
    build_factory(tm)
    assert run(twinmaker_server, "export", "factory", str(tmp_path / "x")).exit_code == 0
    for name in ("quiet", "bar", "verbose"):
        workspace(tm, name)
    summary = "imported 2 component types, 5 entities and 1 scenes into"
    # Not a terminal: no bar unless asked for.
    quiet = run(twinmaker_server, "import", str(tmp_path / "x"), "quiet")
    assert (quiet.exit_code, quiet.stdout) == (0, "")
    assert quiet.stderr.splitlines() == [f"{summary} 'quiet'"]
    bar = run(twinmaker_server, "import", str(tmp_path / "x"), "bar", "--progress")
    assert (bar.exit_code, bar.stdout) == (0, "")
    first, last = bar.stderr.splitlines()
    assert first.startswith("importing ")
    assert " 8/8 " in first  # 2 types, 5 entities, 1 scene, counted before anything is created
    assert last == f"{summary} 'bar'"
    verbose = run(twinmaker_server, "import", str(tmp_path / "x"), "verbose", "-v")
    assert verbose.stdout == ""
    lines = verbose.stderr.splitlines()
    assert lines[:3] == [
        "created component type com.example.equipment",
        "created component type com.example.mixer",
        "created entity plant",
    ]
    assert len(lines) == 9


@given(st.integers(min_value=MIN_NS, max_value=MAX_NS))
def test_every_time_string_reads_back_to_its_nanoseconds(ns: int) -> None:
    text = format_time(ns)
    assert parse_cli_time(text, "--start") == ns
    assert parse_cli_time(text[:-1], "--start") == ns  # no offset: UTC
    assert parse_cli_time(str(ns), "--start") == ns


OFFSETS = st.builds(
    lambda minutes: timezone(timedelta(minutes=minutes)), st.integers(-23 * 60 - 59, 23 * 60 + 59)
)


@given(st.datetimes(timezones=OFFSETS) | st.datetimes())
def test_every_isoformat_datetime_reads_as_that_instant(moment: datetime) -> None:
    """Whatever `isoformat` writes reads back as that instant; without an offset, in UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
    assert parse_cli_time(moment.isoformat(), "--end") == datetime_ns(aware)
    assert parse_cli_time(moment.isoformat(sep=" "), "--end") == datetime_ns(aware)


def test_a_malformed_time_names_the_option() -> None:
    with pytest.raises(ValidationError, match=r"^--end: expected an ISO-8601 time"):
        parse_cli_time("2026-02-30", "--end")


@given(st.floats(allow_nan=False))
def test_every_float_reads_back_from_its_csv_text(value: float) -> None:
    assert struct.pack("<d", float(csv_value(value))) == struct.pack("<d", value)
