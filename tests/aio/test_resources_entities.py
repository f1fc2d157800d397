"""Async ComponentType and Entity handles on both emulator transports (mirrors
tests/resources/test_entities.py), with a ManualClock driving the emulator's transitions."""

from __future__ import annotations

from typing import Any

import pytest

import twinkit
import twinkit.aio
from twinkit import Component, DataTypes, PropertyDefinition, errors, models
from twinkit.aio.resources import ROOT, ComponentType, Entity, Workspace
from twinkit.local import Emulator, ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def twinmaker_emulator_options(clock: ManualClock) -> dict[str, Any]:
    return {"clock": clock, "transition_delay": 1.0}


@pytest.fixture
async def ws(atm: twinkit.aio.TwinMaker) -> Workspace:
    return await atm.workspaces.create("factory")


@pytest.fixture
async def pump(ws: Workspace, clock: ManualClock) -> ComponentType:
    base = await ws.component_types.create(
        "com.example.equipment",
        properties={"serial": PropertyDefinition(DataTypes.STRING, default="none")},
    )
    pump = await ws.component_types.create(
        "com.example.pump",
        extends_from=[base],
        properties={
            "rpm": PropertyDefinition(DataTypes.DOUBLE, time_series=True),
            "model": PropertyDefinition(DataTypes.STRING, default="P-100"),
            "stages": PropertyDefinition(DataTypes.INTEGER, default=1),
            "limits": PropertyDefinition(DataTypes.map_of(DataTypes.LONG)),
        },
    )
    clock.advance(1)
    return await pump.refresh()


async def test_component_type_lifecycle(ws: Workspace, clock: ManualClock) -> None:
    ct = await ws.component_types.create(
        "com.example.valve", properties={"open": PropertyDefinition("BOOLEAN", default=False)}
    )
    assert (await ct.get_data()).component_type_id == "com.example.valve"
    assert ct.state == "CREATING"
    clock.advance(1)
    assert (await ct.refresh()).state == "ACTIVE"
    assert await ct.wait_until_active(timeout=1, interval=0.01) is ct
    assert ct.property_definitions["open"].default_value == models.DataValue(boolean_value=False)
    assert not ct.is_abstract
    await ct.update(description="a valve")
    assert ct.state == "UPDATING"
    assert ct.data.description == "a valve"
    await ct.delete()
    with pytest.raises(errors.WaitTimeoutError) as caught:
        await ct.wait_until_deleted(timeout=0.05, interval=0.01)
    assert caught.value.last_state == "DELETING"
    clock.advance(1)
    await ct.wait_until_deleted(timeout=1, interval=0.01)
    assert not await ct.exists()


async def test_inheritance_and_listing_filters(ws: Workspace, pump: ComponentType) -> None:
    definitions = pump.property_definitions
    assert definitions["serial"].is_inherited
    assert not definitions["rpm"].is_inherited
    assert pump.extends_from == [ws.component_types("com.example.equipment")]
    children = [t.id async for t in ws.component_types.list(extends_from="com.example.equipment")]
    assert children == ["com.example.pump"]
    ours = [t.id async for t in ws.component_types.list(namespace="com.example")]
    assert ours == ["com.example.equipment", "com.example.pump"]
    abstract = [t.id async for t in ws.component_types.list(is_abstract=True)]
    assert "com.amazon.iottwinmaker.alarm.basic" in abstract
    assert "com.example.pump" not in abstract


async def test_entities_hierarchy_and_values(
    ws: Workspace, pump: ComponentType, clock: ManualClock
) -> None:
    plant = await ws.entities.create("Plant", entity_id="plant")
    line = await plant.children.create("Line 1", entity_id="line-1")
    p1 = await line.children.create(
        "Pump 1",
        entity_id="pump-1",
        components={
            "pump": Component(
                pump.id, properties={"model": "P-200", "stages": 3, "limits": {"max": 9}}
            )
        },
    )
    assert (await p1.refresh()).state == "CREATING"
    clock.advance(1)
    assert (await p1.wait_until_active(timeout=1, interval=0.01)).state == "ACTIVE"
    assert p1.values("pump") == {
        "serial": "none",
        "model": "P-200",
        "stages": 3,
        "limits": {"max": 9},
    }
    # The type's declared INTEGER and LONG chose the DataValue members.
    properties = p1.components["pump"].properties or {}
    assert properties["stages"].value == models.DataValue(integer_value=3)
    assert properties["limits"].value == models.DataValue(
        map_value={"max": models.DataValue(long_value=9)}
    )
    assert p1.parent == line
    assert (await line.refresh()).parent == plant
    assert (await plant.refresh()).parent is None
    assert plant.has_children
    assert [e.id async for e in plant.walk()] == ["plant", "line-1", "pump-1"]
    assert [e.id async for e in ws.entities.roots()] == ["plant"]
    by_type = ws.entities.list(component_type="com.example.equipment")
    assert [e.id async for e in by_type] == ["pump-1"]
    assert [e.id async for e in ws.entities.list(parent=ROOT)] == ["plant"]
    assert [e.id async for e in line.children] == ["pump-1"]


async def test_every_kind_of_update(ws: Workspace, pump: ComponentType, clock: ManualClock) -> None:
    p1 = await ws.entities.create(
        "Pump 1", entity_id="pump-1", components={"pump": Component(pump.id)}
    )
    other = await ws.entities.create("Line 2", entity_id="line-2")
    clock.advance(1)
    assert (await p1.update(name="Pump One", description="first")).name == "Pump One"
    assert p1.state == "UPDATING"
    assert p1.data.description == "first"
    updated = await p1.set_values("pump", {"model": "P-300", "stages": 2})
    assert updated.values("pump")["model"] == "P-300"
    assert (await p1.reset_values("pump", "model")).values("pump")["model"] == "P-100"
    await p1.add_component(
        "spare", Component("com.example.equipment", properties={"serial": "S-1"})
    )
    assert p1.values("spare") == {"serial": "S-1"}
    extra = models.PropertyRequest(
        definition=PropertyDefinition(DataTypes.STRING).to_model(),
        value=models.DataValue(string_value="x"),
    )
    await p1.set_values("spare", {"note": extra})
    assert p1.values("spare") == {"serial": "S-1", "note": "x"}
    await p1.remove_properties("spare", "note")
    assert p1.values("spare") == {"serial": "S-1"}
    await p1.remove_component("spare")
    assert set(p1.components) == {"pump"}
    await p1.move_to(other)
    assert p1.parent == other
    await p1.move_to(None)
    assert p1.parent is None


async def test_set_values_fetches_a_handle_never_fetched(
    ws: Workspace, pump: ComponentType
) -> None:
    await ws.entities.create("Pump 1", entity_id="pump-1", components={"pump": Component(pump.id)})
    fresh = ws.entities("pump-1")  # typed by the definitions it has to fetch first
    assert (await fresh.set_values("pump", {"stages": 4})).values("pump")["stages"] == 4
    with pytest.raises(errors.ValidationError, match=r"expected an int \(INTEGER\)"):
        await ws.entities("pump-1").set_values("pump", {"stages": "four"})


async def test_bad_values_name_the_field_before_sending(ws: Workspace, pump: ComponentType) -> None:
    with pytest.raises(errors.ValidationError) as caught:
        await ws.entities.create(
            "Pump 1", components={"pump": Component(pump.id, properties={"stages": 2.5})}
        )
    assert (
        str(caught.value) == "properties['stages'].value: expected an int (INTEGER), got float 2.5"
    )
    assert await ws.entities.list().to_list() == []


async def test_service_errors_are_typed(ws: Workspace, pump: ComponentType) -> None:
    await ws.entities.create("Plant", entity_id="plant")
    await ws.entities("plant").children.create("Line", entity_id="line")
    with pytest.raises(errors.ConflictError):
        await ws.entities.create("Plant", entity_id="plant")
    with pytest.raises(errors.ServiceValidationError) as caught:
        await ws.entities("plant").delete()
    assert caught.value.status_code == 400
    with pytest.raises(errors.ResourceNotFoundError):
        await ws.entities.get("nope")
    with pytest.raises(errors.ServiceValidationError):
        await ws.entities.create(
            "Alarm", components={"a": Component("com.amazon.iottwinmaker.alarm.basic")}
        )


async def test_listing_pages_lazily_and_resumes(ws: Workspace) -> None:
    for i in range(10):
        await ws.entities.create(f"E{i}", entity_id=f"e{i}")
    pager = ws.entities.list(page_size=3)
    pages = pager.by_page()
    first = await anext(pages)
    assert [e.id for e in first] == ["e0", "e1", "e2"]
    rest = [
        [e.id for e in page]
        async for page in pager.by_page(continuation_token=first.continuation_token)
    ]
    assert rest == [["e3", "e4", "e5"], ["e6", "e7", "e8"], ["e9"]]
    assert all(isinstance(e, Entity) for e in await pager.to_list())


async def test_recursive_delete_and_waiting(ws: Workspace, clock: ManualClock) -> None:
    plant = await ws.entities.create("Plant", entity_id="plant")
    await plant.children.create("Line", entity_id="line")
    await plant.delete(recursive=True)
    clock.advance(1)
    await plant.wait_until_deleted(timeout=1, interval=0.01)
    assert await ws.entities.list().to_list() == []


async def test_listing_takes_one_filter_as_the_service_does(ws: Workspace) -> None:
    with pytest.raises(errors.ValidationError) as caught:
        ws.entities.list(parent=ROOT, external_id="S-1")
    assert str(caught.value) == (
        "Entities.list: expected at most one of parent, component_type, external_id; got 2"
    )


async def test_trees_are_the_sync_handles_trees(ws: Workspace, emulator: Emulator) -> None:
    # plant -> (line-1 -> (mixer-1 -> valve, mixer-2), office); a second root, yard.
    plant = await ws.entities.create("Plant <&>", entity_id="plant")
    line = await plant.children.create("Line 1", entity_id="line-1")
    mixer = await line.children.create("Mixer 1", entity_id="mixer-1")
    await mixer.children.create("Valve", entity_id="valve")
    await line.children.create("Mixer 2", entity_id="mixer-2")
    await plant.children.create("Office", entity_id="office")
    await ws.entities.create("Yard", entity_id="yard")
    sync_ws = twinkit.TwinMaker(client=emulator.client()).workspaces("factory")

    tree = await ws.entities.tree()
    assert str(tree).splitlines() == [
        "factory",
        "├── Plant <&> (plant)",
        "│   ├── Line 1 (line-1)",
        "│   │   ├── Mixer 1 (mixer-1)",
        "│   │   │   └── Valve (valve)",
        "│   │   └── Mixer 2 (mixer-2)",
        "│   └── Office (office)",
        "└── Yard (yard)",
    ]
    for depth in (None, 0, 1, 2, 3):
        assert await ws.entities.tree(max_depth=depth) == sync_ws.entities.tree(max_depth=depth)
        for entity_id in ("plant", "line-1", "valve"):
            expected = sync_ws.entities(entity_id).tree(max_depth=depth)
            assert await ws.entities(entity_id).tree(max_depth=depth) == expected
    shallow = await plant.tree(max_depth=1)
    assert [(t.entity_id, t.truncated) for t in shallow.children] == [
        ("line-1", True),
        ("office", False),
    ]
