"""Helpers of the CLI tests: run a command against the server, build a twin, read a failure."""

from __future__ import annotations

from click.testing import CliRunner, Result

import twinkit
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.cli._app import cli
from twinkit.local import ServerHandle
from twinkit.values import Relationship

ROLE = "arn:aws:iam::123456789012:role/twinmaker"


def run(server: ServerHandle, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--endpoint-url", server.url, *args])


def workspace(tm: twinkit.TwinMaker, workspace_id: str) -> None:
    tm.workspaces.create(workspace_id, role=ROLE, s3_location=f"arn:aws:s3:::{workspace_id}-bucket")


def build_factory(tm: twinkit.TwinMaker) -> None:
    """A factory twin: inheritance, a hierarchy, values of several types, a relationship."""
    workspace(tm, "factory")
    ws = tm.workspaces("factory")
    equipment = ws.component_types.create(
        "com.example.equipment",
        properties={
            "serial": PropertyDefinition(DataTypes.STRING, default="unknown"),
            "installed": PropertyDefinition(DataTypes.BOOLEAN),
        },
    ).wait_until_active()
    mixer = ws.component_types.create(
        "com.example.mixer",
        extends_from=[equipment],
        properties={
            "rpm": PropertyDefinition(DataTypes.DOUBLE, time_series=True),
            "capacity_kg": PropertyDefinition(DataTypes.INTEGER, default=500),
            "recipes": PropertyDefinition(DataTypes.list_of(DataTypes.STRING)),
            "feeds": PropertyDefinition(DataTypes.relationship(relationship_type="feeds")),
        },
    ).wait_until_active()
    plant = ws.entities.create("Plant", entity_id="plant")
    line = plant.children.create("Line 1", entity_id="line-1", description="the first line")
    for n in (1, 2, 3):
        line.children.create(
            f"Mixer {n}",
            entity_id=f"mixer-{n}",
            components={
                "mixer": Component(
                    mixer,
                    properties={
                        "serial": f"MX-{n:03}",
                        "recipes": ["chocolate", "oat"][: n % 2 + 1],
                        "capacity_kg": 500 + n,
                        **({"feeds": Relationship("mixer-1", "mixer")} if n > 1 else {}),
                    },
                )
            },
        ).wait_until_active()
    tm.create_scene(
        workspace_id="factory",
        scene_id="floor",
        content_location="s3://factory-bucket/floor.json",
        description="the factory floor",
    )


def one_line_failure(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]
