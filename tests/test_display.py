"""Notebook views: `_repr_html_` of models, pagers, resources, histories and query results,
entity trees, reprs, and progress bars for long reads.

Everything is fetched from the in-process emulator through botocore, as a notebook would; the
calls a view makes are counted with a botocore event handler on the client.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from datetime import datetime, timezone
from typing import Any

import pytest

import twinkit
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit._display import ROWS_SHOWN, EntityTree
from twinkit.times import datetime_ns, format_time

T0 = datetime_ns(datetime(2026, 1, 2, tzinfo=timezone.utc)) + 5


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
            "batch": PropertyDefinition(DataTypes.STRING, time_series=True),
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


def count_calls(tm: twinkit.TwinMaker) -> Counter[str]:
    """Every call the client makes from now on, by operation name."""
    calls: Counter[str] = Counter()

    def seen(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    tm.boto3_client.meta.events.register("before-call.iottwinmaker", seen)
    return calls


def with_history(ws: twinkit.resources.Workspace) -> twinkit.resources.Entity:
    """mixer-1 with 450 rpm values (three pages of 200) and three batch labels."""
    mixer = ws.entities("mixer-1")
    mixer.put_values(
        "mixer",
        {
            "rpm": [(T0 + i * 1_000, float(i)) for i in range(450)],
            "batch": [(T0 + i * 1_000 + 1, f"<b>{i}</b>") for i in range(3)],
        },
    ).raise_for_failures()
    return mixer


def test_a_historys_view_shows_its_first_points_from_one_page(
    tm: twinkit.TwinMaker, ws: twinkit.resources.Workspace
) -> None:
    mixer = with_history(ws)
    history = mixer.history("mixer", "rpm", "batch", start=T0, end=T0 + 10**9)
    calls = count_calls(tm)
    view = history._repr_html_()
    assert calls == {"GetPropertyValueHistory": 1}  # one page of 200, of 453 values
    assert rows(view) == ROWS_SHOWN
    assert "more not shown" in view
    assert re.findall(r"<th[^>]*>(\w+)</th>", view) == ["time", "property", "value"]
    # Time order across properties, every nanosecond shown, values escaped.
    assert format_time(T0) in view
    assert format_time(T0 + 1) in view
    assert "&lt;b&gt;0&lt;/b&gt;" in view
    assert "<b>0</b>" not in view
    assert view.index(format_time(T0)) < view.index(format_time(T0 + 1))


def test_a_history_across_entities_shows_whose_values(
    ws: twinkit.resources.Workspace,
) -> None:
    with_history(ws)
    view = ws.history(
        "batch", component_type="com.example.mixer", start=T0, end=T0 + 10**9
    )._repr_html_()
    assert re.findall(r"<th[^>]*>(\w+)</th>", view) == [
        "entity_id",
        "component",
        "time",
        "property",
        "value",
    ]
    assert rows(view) == 3
    assert "more not shown" not in view
    empty = ws.entities("mixer-1").history("mixer", "rpm", start=0, end=1)._repr_html_()
    assert rows(empty) == 0
    assert "no values in this range" in empty


def test_reprs_say_what_is_read_without_reading(
    tm: twinkit.TwinMaker, ws: twinkit.resources.Workspace
) -> None:
    history = ws.entities("mixer-1").history(
        "mixer", "rpm", start=T0, end=T0 + 10**9, order="DESCENDING"
    )
    result = ws.query("SELECT e FROM EntityGraph MATCH (e)", page_size=5)
    pager = tm.paginate.list_entities(workspace_id="factory", page_size=4, max_items=9)
    calls = count_calls(tm)
    assert repr(history) == (
        "History(entity='mixer-1', component='mixer', properties=['rpm'], "
        f"start={format_time(T0)!r}, end={format_time(T0 + 10**9)!r}, order='DESCENDING')"
    )
    assert repr(result) == (
        "QueryResult('SELECT e FROM EntityGraph MATCH (e)', page_size=5, max_items=None)"
    )
    assert repr(pager) == "Pager[EntitySummary](list_entities, page_size=4, max_items=9)"
    assert repr(ws.entities.list()) == (
        "Pager(list_entities, mapped, page_size=None, max_items=None)"
    )
    assert calls == {}
    long = "SELECT e FROM EntityGraph MATCH (e) WHERE e.entityName = 'a rather long name'"
    assert repr(ws.query(long)).startswith(f"QueryResult({long[:59] + '…'!r}")


def test_a_query_results_view_shows_columns_by_name_and_cells_as_text(
    tm: twinkit.TwinMaker, ws: twinkit.resources.Workspace
) -> None:
    tm.pricing_plan.update("STANDARD")  # the knowledge graph answers only under STANDARD
    result = ws.query(
        "SELECT child, r, parent, parent.entityName AS name FROM EntityGraph "
        "MATCH (child)-[r:isChildOf]->(parent) WHERE child.entityName = 'Line 1'"
    )
    view = result._repr_html_()
    assert re.findall(r"<th[^>]*>(\w+)</th>", view) == ["child", "r", "parent", "name"]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", view)
    assert cells == [
        "Line 1 (line-1)",
        "isChildOf",
        "Plant &lt;&amp;&gt; (plant)",
        "Plant &lt;&amp;&gt;",
    ]
    assert "columns=[&#x27;child&#x27;" in view  # the caption: the repr, now with columns

    for n in range(25):
        ws.entities.create(f"Sensor {n}", entity_id=f"sensor-{n:02}")
    calls = count_calls(tm)
    many = ws.query("SELECT e.entityName FROM EntityGraph MATCH (e)", page_size=100)._repr_html_()
    assert calls == {"ExecuteQuery": 1}
    assert rows(many) == ROWS_SHOWN
    assert "more not shown" in many
    none = ws.query("SELECT e FROM EntityGraph MATCH (e) WHERE e.entityName = 'x'")
    assert "(no rows)" in none._repr_html_()


def test_reading_a_history_shows_progress_when_asked(
    ws: twinkit.resources.Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    history = with_history(ws).history("mixer", "rpm", start=T0, end=T0 + 10**9)
    assert len(history.to_dataframe(progress=True)) == 450
    err = capsys.readouterr().err
    assert "reading" in err
    assert "450" in err
    assert history.to_arrow(progress=True).num_rows == 450
    assert "reading" in capsys.readouterr().err
    # Off by default outside a terminal (as here).
    assert len(history.to_dataframe()) == 450
    assert history.to_arrow().num_rows == 450
    assert capsys.readouterr().err == ""


def test_progress_without_tqdm_names_the_extra(
    ws: twinkit.resources.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = with_history(ws).history("mixer", "rpm", start=T0, end=T0 + 10**9)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(ImportError, match=r"pip install 'twinkit\[tqdm\]'"):
        history.to_dataframe(progress=True)
    assert len(history.to_dataframe()) == 450  # None: no bar, and no error without tqdm
