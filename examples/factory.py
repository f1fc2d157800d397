"""A bakery's digital twin: inheritance, a hierarchy, relationships and time series.

Component types inherit from a common `equipment` type; the site, its halls and lines form an
entity hierarchy; `feeds` relationships link the machines of a line in the order dough flows;
an hour of sensor readings is written in one call (`ws.put_values`) and read back through each
entity (`entity.history`); the knowledge graph answers which machines feed which.

Runs against the embedded emulator. With `--aws` it runs against your account instead (see
examples/_where.py for the options: a role and a bucket for the workspace, and a Lambda data
connector for the time series).

Run: python examples/factory.py [--aws --role ARN --s3-location ARN [--connector-lambda ARN]]
"""

from __future__ import annotations

import argparse
import math
import statistics
from datetime import datetime, timedelta, timezone

import _where

import twinkit
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.values import Relationship

START = datetime(2026, 1, 1, 6, tzinfo=timezone.utc)  # the morning shift
EVERY = timedelta(minutes=1)
READINGS = 60

# hall -> line -> machines, in the order dough flows: (entity id, name, type, set temperature)
LAYOUT = {
    "Hall A": {
        "Line 1": [
            ("mixer-1", "Mixer 1", "mixer", 24.0),
            ("oven-1", "Oven 1", "oven", 210.0),
            ("cooler-1", "Cooler 1", "cooler", 18.0),
        ],
        "Line 2": [
            ("mixer-2", "Mixer 2", "mixer", 25.0),
            ("oven-2", "Oven 2", "oven", 190.0),
        ],
    },
    "Hall B": {
        "Line 3": [
            ("mixer-3", "Mixer 3", "mixer", 23.0),
            ("oven-3", "Oven 3", "oven", 230.0),
        ],
    },
}


def slug(name: str) -> str:
    """An entity id from a name: `Hall A` -> `hall-a`."""
    return name.lower().replace(" ", "-")


def build_types(
    ws: twinkit.resources.Workspace, options: argparse.Namespace
) -> dict[str, twinkit.resources.ComponentType]:
    """Component types: three machines inheriting `equipment`'s properties and connector."""
    equipment = ws.component_types.create(
        "com.example.equipment",
        description="Anything on a line: a serial number, and what it feeds",
        functions=_where.time_series_functions(options),  # inherited by every subtype
        properties={
            "serial": PropertyDefinition(DataTypes.STRING, default="unknown"),
            "feeds": PropertyDefinition(DataTypes.relationship(relationship_type="feeds")),
            "temperature": PropertyDefinition(DataTypes.DOUBLE, time_series=True),
        },
    ).wait_until_active()
    extra = {
        "mixer": {"rpm": PropertyDefinition(DataTypes.DOUBLE, time_series=True)},
        "oven": {"zones": PropertyDefinition(DataTypes.INTEGER, default=3)},
        "cooler": {"fan_speed": PropertyDefinition(DataTypes.DOUBLE, time_series=True)},
    }
    types = {
        kind: ws.component_types.create(
            f"com.example.{kind}", extends_from=[equipment], properties=properties
        )
        for kind, properties in extra.items()
    }
    area = ws.component_types.create(
        "com.example.area", properties={"floor_m2": PropertyDefinition(DataTypes.DOUBLE)}
    )
    for component_type in [*types.values(), area]:
        component_type.wait_until_active()
    types["area"] = area
    return types


def build_entities(
    ws: twinkit.resources.Workspace, types: dict[str, twinkit.resources.ComponentType]
) -> twinkit.resources.Entity:
    """The site, its halls, lines and machines; each machine feeds the next one on its line."""
    site = ws.entities.create("Bakery", entity_id="bakery")
    for hall_name, lines in LAYOUT.items():
        hall = site.children.create(
            hall_name,
            entity_id=slug(hall_name),
            components={"area": Component(types["area"], properties={"floor_m2": 1200.0})},
        )
        for line_name, machines in lines.items():
            line = hall.children.create(line_name, entity_id=slug(line_name))
            # Create downstream machines first, so that each relationship's target exists.
            for position in reversed(range(len(machines))):
                entity_id, name, kind, _ = machines[position]
                properties: dict[str, object] = {"serial": f"{kind[:2].upper()}-{entity_id}"}
                if position + 1 < len(machines):
                    properties["feeds"] = Relationship(machines[position + 1][0])
                line.children.create(
                    name,
                    entity_id=entity_id,
                    components={kind: Component(types[kind], properties=properties)},
                )
    return site


def readings(set_point: float, phase: int) -> list[tuple[datetime, float]]:
    """An hour of made-up temperatures around a set point, one a minute."""
    return [
        (START + k * EVERY, round(set_point + 2 * math.sin(k / 9 + phase), 3))
        for k in range(READINGS)
    ]


def write_and_read_time_series(ws: twinkit.resources.Workspace) -> None:
    """Write every machine's temperatures in one call, then read each machine's history."""
    machines = [m for lines in LAYOUT.values() for line in lines.values() for m in line]
    values = {
        entity_id: {kind: {"temperature": readings(set_point, phase)}}
        for phase, (entity_id, _, kind, set_point) in enumerate(machines)
    }
    values["mixer-1"]["mixer"]["rpm"] = [(START + k * EVERY, 90.0 + k % 5) for k in range(READINGS)]
    result = ws.put_values(values).raise_for_failures()
    print(f"wrote {result.written} values in {result.calls} calls")

    end = START + (READINGS - 1) * EVERY
    for phase, (entity_id, name, kind, set_point) in enumerate(machines):
        history = ws.entities(entity_id).history(kind, "temperature", start=START, end=end)
        temperatures = [point.value for point in history]
        assert temperatures == [value for _, value in readings(set_point, phase)]
        print(
            f"  {name:<9} {len(temperatures)} readings, "
            f"mean {statistics.fmean(temperatures):7.2f} °C (set {set_point:.0f} °C)"
        )
    mixer = ws.entities("mixer-1")
    print(f"  latest on Mixer 1: {mixer.latest('mixer', 'temperature', 'rpm')}")


def ask_the_knowledge_graph(
    tm: twinkit.TwinMaker, ws: twinkit.resources.Workspace, aws: bool
) -> None:
    """Which machine feeds which, and what is in Hall A: one query each."""
    mode = tm.pricing_plan.get().current_pricing_plan.pricing_mode
    if str(mode) == "BASIC":
        if aws:  # changing the plan changes the bill: leave that to the account's owner
            print("the account's pricing mode is BASIC: skipping knowledge-graph queries")
            return
        tm.pricing_plan.update("STANDARD")  # queries need STANDARD, as on the service
    rows = ws.query(
        "SELECT a.entityName AS source, b.entityName AS target FROM EntityGraph "
        "MATCH (a)-[r:feeds]->(b)"
    )
    flows = sorted((row["source"], row["target"]) for row in rows)
    for source, target in flows:
        print(f"  {source} feeds {target}")
    assert ("Mixer 1", "Oven 1") in flows
    assert ("Oven 1", "Cooler 1") in flows
    in_hall_a = sorted(node.entity_name for node in ws.entities("hall-a").descendants())
    print(f"  in Hall A: {', '.join(in_hall_a)}")
    upstream = [node.entity_name for node in ws.entities("oven-1").related(direction="in")]
    assert "Mixer 1" in upstream


def main() -> None:
    options = _where.parser(__doc__).parse_args()
    with (
        _where.twinmaker(options) as tm,
        _where.workspace(tm, options, "bakery", "A bakery: three lines in two halls") as ws,
    ):
        types = build_types(ws, options)
        oven = types["oven"]
        print(f"{oven.id} inherits {sorted(oven.property_definitions)}")

        site = build_entities(ws, types)
        print(ws.entities.tree())
        print(f"{len(list(site.walk()))} entities under the bakery, itself included")
        mixers = [e.name for e in ws.entities.list(component_type=types["mixer"])]
        print(f"mixers: {sorted(mixers)}")

        if _where.has_time_series(options):
            write_and_read_time_series(ws)
        ask_the_knowledge_graph(tm, ws, options.aws)


if __name__ == "__main__":
    main()
