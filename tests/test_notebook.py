"""examples/notebook.ipynb runs top to bottom on a fresh kernel, and shows HTML tables.

The notebook is committed with its outputs, so that it reads well on GitHub without running
it: the saved outputs must show twinkit's HTML tables too, and come from the same cells as a
fresh run (re-save it after changing a cell: see CONTRIBUTING.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbclient
import nbformat

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "notebook.ipynb"
# What the cells return, in order: each must show as HTML (a table, or the tree's list).
SHOWN = [
    ("Workspace('bakery')", "<table"),
    ("ComponentType('bakery', 'com.example.oven')", "<table"),
    ("Entity('bakery', 'oven-1')", "<table"),
    ("Pager(", "<table"),
    ("EntityTree(", "<ul"),
]


def html_outputs(notebook: Any) -> list[tuple[str, str]]:
    """(text/plain, text/html) of every execute_result that has HTML, in cell order."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            data = output.get("data", {})
            if output.output_type == "execute_result" and "text/html" in data:
                found.append((data.get("text/plain", ""), data["text/html"]))
    return found


def errors(notebook: Any) -> list[str]:
    return [
        f"{output.get('ename')}: {output.get('evalue')}"
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]


def check_shows_tables(notebook: Any) -> None:
    shown = html_outputs(notebook)
    assert len(shown) == len(SHOWN) + 3  # two DataFrames and a model follow the tree
    for (plain, markup), (expected_plain, expected_markup) in zip(
        shown,
        SHOWN,
        strict=False,  # the first ones; the rest are checked below
    ):
        assert plain.startswith(expected_plain), plain
        assert expected_markup in markup, plain
    frames = [markup for plain, markup in shown if plain.lstrip().startswith("temperature")]
    assert len(frames) == 2
    assert all('class="dataframe"' in markup for markup in frames)
    assert "GetEntityResponse" in shown[-1][0]
    assert "<table" in shown[-1][1]


def test_saved_outputs_show_html_tables() -> None:
    saved = nbformat.read(NOTEBOOK, as_version=4)
    assert errors(saved) == []
    code = [cell for cell in saved.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code), "save the notebook executed"
    check_shows_tables(saved)


def test_notebook_runs_on_a_fresh_kernel_as_saved() -> None:
    saved = nbformat.read(NOTEBOOK, as_version=4)
    fresh = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        fresh,
        timeout=60,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    assert errors(fresh) == []
    check_shows_tables(fresh)
    # The saved outputs are those of the cells as they are now: same kinds, cell by cell.
    assert output_kinds(saved) == output_kinds(fresh)


def output_kinds(notebook: Any) -> list[list[tuple[str, list[str]]]]:
    """Each code cell's outputs, as (output type, mime types)."""
    return [
        [(output.output_type, sorted(output.get("data", {}))) for output in cell.outputs]
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]
