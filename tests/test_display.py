"""Notebook views: `_repr_html_` of models, pagers and resources, and entity trees.

Everything is fetched from the in-process emulator through botocore, as a notebook would.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import twinkit
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit._display import ROWS_SHOWN, EntityTree


@pytest.fixture
def tm(twinmaker_client: Any) -> twinkit.TwinMaker:
    return twinkit.TwinMaker(client=twinmaker_client)


@pytest.fixture
def ws(tm: twinkit.TwinMaker) -> twinkit.resources.Workspace:
    ws = tm.workspaces.create("factory", role="arn:aws:iam::123456789012:role/tm")
    base = ws.component_types.create(
        "com.example.equipment",
        properties={"serial": PropertyDefinition(DataTypes.STRING, default="unknown")},
    ).wait_until_active()
    ws.component_types.create(
        "com.example.mixer",
        extends_from=[base],
        properties={
            "rpm": PropertyDefinition(DataTypes.DOUBLE, time_series=True),
            "recipes": PropertyDefinition(DataTypes.list_of(DataTypes.STRING)),
        },
    ).wait_until_active()
    plant = ws.entities.create("Plant <&>", entity_id="plant")
    line = plant.children.create("Line 1", entity_id="line-1")
    line.children.create(
        "Mixer 1",
        entity_id="mixer-1",
        components={"mixer": Component("com.example.mixer", properties={"recipes": ["oat"]})},
    )
    line.children.create("Mixer 2", entity_id="mixer-2")
    plant.children.create("Office", entity_id="office")
    return ws


def rows(html_text: str) -> int:
    return len(re.findall(r"<tr>", html_text)) - 1  # minus the header row


def test_a_models_view_shows_the_members_set_and_escapes(ws: twinkit.resources.Workspace) -> None:
    data = ws.entities("plant").data
    view = data._repr_html_()
    assert "GetEntityResponse" in view
    assert "entity_name" in view
    assert "Plant &lt;&amp;&gt;" in view
    assert "<&>" not in view


def test_a_pager_shows_its_first_rows_only(
    tm: twinkit.TwinMaker, ws: twinkit.resources.Workspace
) -> None:
    for n in range(25):
        ws.entities.create(f"Sensor {n}", entity_id=f"sensor-{n:02}")
    view = tm.paginate.list_entities(workspace_id="factory", page_size=4)._repr_html_()
    assert rows(view) == ROWS_SHOWN
    assert "more not shown" in view
    assert "entity_id" in view
    few = tm.paginate.list_entities(workspace_id="factory", max_items=3)._repr_html_()
    assert rows(few) == 3
    assert "more not shown" not in few


def test_a_component_types_view_lists_definitions_inherited_ones_marked(
    ws: twinkit.resources.Workspace,
) -> None:
    view = ws.component_types("com.example.mixer")._repr_html_()
    serial = re.search(r"<b>serial</b>.*?</tr>", view)
    assert serial is not None
    assert "inherited" in serial.group(0)
    rpm = re.search(r"<b>rpm</b>.*?</tr>", view)
    assert rpm is not None
    assert "DOUBLE" in rpm.group(0)
    assert "inherited" not in rpm.group(0)
    assert "LIST&lt;STRING&gt;" in view
    assert "com.example.equipment" in view


def test_an_entitys_view_shows_each_component_with_values(ws: twinkit.resources.Workspace) -> None:
    view = ws.entities("mixer-1")._repr_html_()
    assert "mixer: com.example.mixer" in view
    recipes = re.search(r"<b>recipes</b>.*?</tr>", view)
    assert recipes is not None
    assert "oat" in recipes.group(0)


def test_a_workspaces_view_is_its_description(ws: twinkit.resources.Workspace) -> None:
    view = ws._repr_html_()
    assert "Workspace(&#x27;factory&#x27;)" in view
    assert "arn" in view


def test_the_workspace_tree_prints_and_shows(ws: twinkit.resources.Workspace) -> None:
    tree = ws.entities.tree()
    assert str(tree) == "\n".join(
        [
            "factory",
            "└── Plant <&> (plant)",
            "    ├── Line 1 (line-1)",
            "    │   ├── Mixer 1 (mixer-1)",
            "    │   └── Mixer 2 (mixer-2)",
            "    └── Office (office)",
        ]
    )
    assert [t.entity_id for t in tree.walk()] == [
        "factory",
        "plant",
        "line-1",
        "mixer-1",
        "mixer-2",
        "office",
    ]
    view = tree._repr_html_()
    assert "Plant &lt;&amp;&gt;" in view
    assert view.count("<li>") == 6


def test_an_entitys_tree_to_a_depth(ws: twinkit.resources.Workspace) -> None:
    plant = ws.entities("plant")
    assert plant.tree() == EntityTree(
        "plant",
        "Plant <&>",
        (
            EntityTree(
                "line-1",
                "Line 1",
                (EntityTree("mixer-1", "Mixer 1"), EntityTree("mixer-2", "Mixer 2")),
            ),
            EntityTree("office", "Office"),
        ),
    )
    shallow = plant.tree(max_depth=1)
    assert shallow.children[0] == EntityTree("line-1", "Line 1", truncated=True)
    assert shallow.children[1] == EntityTree("office", "Office", truncated=False)
    assert str(shallow).splitlines()[-2:] == ["│   └── …", "└── Office (office)"]
    assert ws.entities.tree(max_depth=1).children[0].truncated
