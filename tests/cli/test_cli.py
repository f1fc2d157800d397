"""The `twinkit` command against the HTTP emulator: tree, export, import, and bad input.

Commands run through click's runner on the same `cli` object the console script calls, with
`--endpoint-url` pointing at a `twinkit.local` server, so every call crosses botocore and a
socket; one test runs the installed console script itself in a subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import twinkit
from twinkit.local import ServerHandle

from ._support import build_factory, one_line_failure, run, workspace

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
SAMPLES = CORPUS / "aws-iot-twinmaker-samples"
DUMMY_LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:dummy"


def tree_of(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): path.read_text()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def test_export_import_export_is_identical_for_the_factory(
    tm: twinkit.TwinMaker, twinmaker_server: ServerHandle, tmp_path: Path
) -> None:
    build_factory(tm)
    first = run(twinmaker_server, "export", "factory", str(tmp_path / "a"))
    assert first.exit_code == 0, first.output
    workspace(tm, "copy")
    imported = run(twinmaker_server, "import", str(tmp_path / "a"), "copy")
    assert imported.exit_code == 0, imported.output
    assert "2 component types, 5 entities and 1 scenes" in imported.output
    second = run(twinmaker_server, "export", "copy", str(tmp_path / "b"))
    assert second.exit_code == 0, second.output
    assert tree_of(tmp_path / "a") == tree_of(tmp_path / "b")

    exported = tree_of(tmp_path / "a")
    manifest = json.loads(exported["tmdt.json"])
    # Dependency order, and only the workspace's own types (no com.amazon.* built-ins).
    assert manifest["component_types"] == ["com.example.equipment.json", "com.example.mixer.json"]
    entities = json.loads(exported["entities.json"])
    assert [e["entityId"] for e in entities] == ["plant", "line-1", "mixer-1", "mixer-2", "mixer-3"]
    mixer_1 = entities[2]["components"]["mixer"]["properties"]
    assert mixer_1["serial"] == {"value": {"stringValue": "MX-001"}}
    assert mixer_1["capacity_kg"] == {"value": {"integerValue": 501}}
    mixer_type = json.loads(exported["com.example.mixer.json"])
    assert "serial" not in mixer_type["propertyDefinitions"]  # inherited, not restated
    assert mixer_type["extendsFrom"] == ["com.example.equipment"]
    # The copy answers the same values as the original.
    original = tm.workspaces("factory").entities("mixer-2").values("mixer")
    assert tm.workspaces("copy").entities("mixer-2").values("mixer") == original


def cookie_factory(tmp_path: Path) -> Path:
    """AWS's cookie factory v3 tmdt project, whole again.

    The corpus left out the v3 files that are byte-identical to v2's (MANIFEST.md), so the
    project is put back together in a temporary directory: v3's files, then v2's for the rest.
    """
    project = tmp_path / "cookiefactoryv3"
    shutil.copytree(SAMPLES / "cookiefactoryv3" / "tmdt_project", project)
    for source in (SAMPLES / "cookiefactoryv2" / "tmdt_project").glob("*.json"):
        if not (project / source.name).exists():
            shutil.copy(source, project / source.name)
    return project


def test_a_tmdt_project_from_awss_samples_imports_and_round_trips(
    tm: twinkit.TwinMaker, twinmaker_server: ServerHandle, tmp_path: Path
) -> None:
    workspace(tm, "cookies")
    project = cookie_factory(tmp_path)
    imported = run(
        twinmaker_server,
        "import",
        str(project),
        "cookies",
        "--replace",
        f"__TO_FILL_IN_SYNTHETIC_DATA_ARN__={DUMMY_LAMBDA}",
        "--replace",
        f"__TO_FILL_IN_TIMESTREAM_LAMBDA_ARN__={DUMMY_LAMBDA}",
    )
    assert imported.exit_code == 0, imported.output
    manifest = json.loads((project / "tmdt.json").read_text())
    entities = json.loads((project / manifest["entities"]).read_text())
    listed = list(tm.paginate.list_entities(workspace_id="cookies"))
    assert {e.entity_id for e in listed} == {e["entityId"] for e in entities}
    assert len(listed) == len(entities)

    first = run(twinmaker_server, "export", "cookies", str(tmp_path / "a"))
    assert first.exit_code == 0, first.output
    workspace(tm, "cookies-copy")
    again = run(twinmaker_server, "import", str(tmp_path / "a"), "cookies-copy")
    assert again.exit_code == 0, again.output
    second = run(twinmaker_server, "export", "cookies-copy", str(tmp_path / "b"))
    assert second.exit_code == 0, second.output
    assert tree_of(tmp_path / "a") == tree_of(tmp_path / "b")


def _contents(tm: twinkit.TwinMaker, workspace_id: str) -> tuple[set[str], set[str], set[str]]:
    return (
        {t.component_type_id for t in tm.paginate.list_component_types(workspace_id=workspace_id)},
        {e.entity_id for e in tm.paginate.list_entities(workspace_id=workspace_id)},
        {s.scene_id for s in tm.paginate.list_scenes(workspace_id=workspace_id)},
    )


@pytest.fixture
def exported(tm: twinkit.TwinMaker, twinmaker_server: ServerHandle, tmp_path: Path) -> Path:
    build_factory(tm)
    assert run(twinmaker_server, "export", "factory", str(tmp_path / "x")).exit_code == 0
    workspace(tm, "target")
    return tmp_path / "x"


def test_a_missing_directory_is_one_line(twinmaker_server: ServerHandle, exported: Path) -> None:
    line = one_line_failure(run(twinmaker_server, "import", str(exported / "nope"), "target"))
    assert "nope: no such directory" in line


def test_malformed_json_names_the_file_and_line(
    tm: twinkit.TwinMaker, twinmaker_server: ServerHandle, exported: Path
) -> None:
    before = _contents(tm, "target")
    path = exported / "entities.json"
    path.write_text(path.read_text().replace('"plant"', '"plant",,', 1))
    line = one_line_failure(run(twinmaker_server, "import", str(exported), "target"))
    assert "entities.json:" in line
    assert "malformed JSON" in line
    assert _contents(tm, "target") == before


def test_a_field_the_service_model_refuses_is_named(
    tm: twinkit.TwinMaker, twinmaker_server: ServerHandle, exported: Path
) -> None:
    before = _contents(tm, "target")
    path = exported / "entities.json"
    entities: list[dict[str, Any]] = json.loads(path.read_text())
    entities[-1]["components"]["mixer"]["properties"]["capacity_kg"]["value"] = {
        "integerValue": 1,
        "stringValue": "two members",
    }
    path.write_text(json.dumps(entities))
    line = one_line_failure(run(twinmaker_server, "import", str(exported), "target"))
    assert "entities[mixer-3].components['mixer'].properties['capacity_kg'].value" in line
    assert _contents(tm, "target") == before


def test_an_unknown_workspace_is_one_line(
    twinmaker_server: ServerHandle, exported: Path, tmp_path: Path
) -> None:
    line = one_line_failure(run(twinmaker_server, "import", str(exported), "nowhere"))
    assert "nowhere" in line
    line = one_line_failure(run(twinmaker_server, "export", "nowhere", str(tmp_path / "n")))
    assert "nowhere" in line
    line = one_line_failure(run(twinmaker_server, "tree", "nowhere"))
    assert "nowhere" in line


def test_a_refused_step_leaves_nothing_behind(
    tm: twinkit.TwinMaker, twinmaker_server: ServerHandle, exported: Path
) -> None:
    """The last entity names a component type that does not exist: the service refuses it
    only after the types and four entities were created, and all of them are deleted again."""
    before = _contents(tm, "target")
    path = exported / "entities.json"
    entities = json.loads(path.read_text())
    entities[-1]["components"]["mixer"]["componentTypeId"] = "com.example.missing"
    path.write_text(json.dumps(entities))
    line = one_line_failure(run(twinmaker_server, "import", str(exported), "target"))
    assert "import failed" in line
    assert "nothing was left behind" in line
    assert _contents(tm, "target") == before


def test_existing_resources_are_refused_before_anything_is_created(
    tm: twinkit.TwinMaker, twinmaker_server: ServerHandle, exported: Path
) -> None:
    tm.workspaces("target").entities.create("Line", entity_id="line-1")
    before = _contents(tm, "target")
    line = one_line_failure(run(twinmaker_server, "import", str(exported), "target"))
    assert "entity 'line-1' already exists in workspace 'target'" in line
    assert _contents(tm, "target") == before


def test_export_refuses_a_directory_with_files(
    twinmaker_server: ServerHandle, exported: Path
) -> None:
    line = one_line_failure(run(twinmaker_server, "export", "factory", str(exported)))
    assert "not empty" in line


def test_tree_shows_the_hierarchy(tm: twinkit.TwinMaker, twinmaker_server: ServerHandle) -> None:
    build_factory(tm)
    result = run(twinmaker_server, "tree", "factory")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "factory"
    plant = next(i for i, line in enumerate(lines) if "Plant (plant)" in line)
    line_1 = next(i for i, line in enumerate(lines) if "Line 1 (line-1)" in line)
    mixers = [i for i, line in enumerate(lines) if "Mixer " in line]
    assert plant < line_1 < min(mixers)
    assert len(mixers) == 3
    shallow = run(twinmaker_server, "tree", "factory", "--max-depth", "1").output
    assert "Mixer" not in shallow
    assert "…" in shallow


def test_the_console_script_runs(twinmaker_server: ServerHandle, tmp_path: Path) -> None:
    """The installed entry point itself (`python -m twinkit.cli` runs the same `main`)."""
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "twinkit.cli",
            "--endpoint-url",
            twinmaker_server.url,
            "--region",
            "us-east-1",
            "tree",
            "nowhere",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "nowhere" in done.stderr
    help_text = subprocess.run(
        [sys.executable, "-m", "twinkit.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    for command in ("export", "history", "import", "local", "query", "tree"):
        assert command in help_text


def test_export_import_export_is_identical_for_the_factory_example(
    tm: twinkit.TwinMaker, twinmaker_server: ServerHandle, tmp_path: Path
) -> None:
    """The bakery of examples/factory.py, built by the example's own functions."""
    examples = Path(__file__).resolve().parents[2] / "examples"
    sys.path.insert(0, str(examples))
    try:
        import _where  # type: ignore[import-not-found]
        import factory  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(examples))
    options = _where.parser(None).parse_args([])
    workspace(tm, "bakery")
    ws = tm.workspaces("bakery")
    factory.build_entities(ws, factory.build_types(ws, options))
    assert run(twinmaker_server, "export", "bakery", str(tmp_path / "a")).exit_code == 0
    workspace(tm, "bakery-copy")
    imported = run(twinmaker_server, "import", str(tmp_path / "a"), "bakery-copy")
    assert imported.exit_code == 0, imported.output
    assert run(twinmaker_server, "export", "bakery-copy", str(tmp_path / "b")).exit_code == 0
    assert tree_of(tmp_path / "a") == tree_of(tmp_path / "b")
    assert len(json.loads((tmp_path / "a" / "entities.json").read_text())) > 5
