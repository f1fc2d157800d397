"""twinkit quickstart: a digital twin of a small factory, on the embedded TwinMaker emulator.

No AWS account needed: `twinkit.local.emulator()` answers a real boto3 client in-process.
With `--aws` the same code runs against the real service (region and credentials as boto3
finds them; see examples/_where.py for the options).

Run: python examples/quickstart.py [--aws --role ARN --s3-location ARN]
"""

from __future__ import annotations

import _where

import twinkit
from twinkit import Component, DataTypes, PropertyDefinition


def main() -> None:
    options = _where.parser(__doc__).parse_args()
    # On the emulator: twinkit.TwinMaker(client=twinkit.local.emulator().client()); on AWS:
    # twinkit.TwinMaker().
    with (
        _where.twinmaker(options) as tm,
        _where.workspace(tm, options, "cookie-factory", "The cookie factory") as ws,
    ):
        # A component type that extends another one.
        equipment = ws.component_types.create(
            "com.example.equipment",
            properties={"serial": PropertyDefinition(DataTypes.STRING, default="unknown")},
        )
        mixer = ws.component_types.create(
            "com.example.mixer",
            extends_from=[equipment],
            functions=_where.time_series_functions(options),  # on AWS: its data connector
            properties={
                "rpm": PropertyDefinition(DataTypes.DOUBLE, time_series=True),
                "capacity_kg": PropertyDefinition(DataTypes.INTEGER, default=500),
                "recipes": PropertyDefinition(DataTypes.list_of(DataTypes.STRING)),
            },
        ).wait_until_active()
        print(f"{mixer.id}: {mixer.state}, inherits {sorted(mixer.property_definitions)}")

        # A hierarchy of entities; values are plain Python, typed by the component type.
        plant = ws.entities.create("Plant", entity_id="plant")
        line = plant.children.create("Line 1", entity_id="line-1")
        for n in (1, 2, 3):
            line.children.create(
                f"Mixer {n}",
                entity_id=f"mixer-{n}",
                components={
                    "mixer": Component(
                        mixer, properties={"serial": f"MX-{n:03}", "recipes": ["chocolate"]}
                    )
                },
            )
        show(plant)
        print(f"{len(list(plant.walk()))} entities under the plant, itself included")

        # Find, read and update, the Python way.
        mixers = list(ws.entities.list(component_type=equipment))
        first = mixers[0].wait_until_active()
        print(f"{len(mixers)} entities have equipment; {first.name}: {first.values('mixer')}")
        first.set_values("mixer", {"capacity_kg": 750, "recipes": ["chocolate", "oat"]})
        print(f"after the update: {first.values('mixer')}")

        # Mistakes are caught before anything is sent, naming the field.
        try:
            first.set_values("mixer", {"capacity_kg": 7.5})
        except twinkit.ValidationError as error:
            print(f"refused: {error}")

        # Service errors are typed too.
        try:
            ws.entities.get("no-such-entity")
        except twinkit.errors.ResourceNotFoundError as error:
            print(f"{error.code} ({error.status_code}): {error.message}")

        plant.delete(recursive=True)
        plant.wait_until_deleted()
        print(f"entities left: {len(list(ws.entities.list()))}")


def show(entity: twinkit.resources.Entity, depth: int = 0) -> None:
    """Print an entity and its descendants as an indented tree (children listed lazily)."""
    print("  " * depth + entity.name)
    for child in entity.children:
        show(child, depth + 1)


if __name__ == "__main__":
    main()
