"""Real-world TwinMaker data loads into the emulator: every component type, entity, component map.

The corpus (`/work/shared/corpus`, described by its MANIFEST.md) is read in place, never copied.
Each file goes through boto3 into a fresh workspace, with what it depends on loaded first:
component types in `extendsFrom` order, entities parents first. The adaptations MANIFEST.md lists
are made here, on a copy in memory: placeholders become dummy values of the right type
(`{lambdaArn}` and `__TO_FILL_IN_*_ARN__` a valid Lambda ARN, script-substituted strings in a
`doubleValue` a number), and keys the request shape lacks are dropped (`isInherited`,
`entityPath`, `componentName`, ...). A file that fails to load is an emulator bug.

Skipped when the corpus is absent, except under `CI=true`, where that is a failure.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import botocore.session
import pytest

import twinkit.local

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
MANIFEST = CORPUS / "MANIFEST.md"

DUMMY_LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:corpus-dummy"
_LAMBDA_ARN = re.compile(
    r"arn:((aws)|(aws-cn)|(aws-us-gov)):lambda:[a-z0-9-]+:[0-9]{12}:function:[\/a-zA-Z0-9_-]+"
)
ROLE = "arn:aws:iam::123456789012:role/twinmaker"

SHARES_TYPES_WITH = {
    # MANIFEST.md: the v3 project's component types that are byte-identical to v2's were left
    # out, so the v3 entities use the v2 copies.
    "aws-iot-twinmaker-samples/cookiefactoryv3/tmdt_project": (
        "aws-iot-twinmaker-samples/cookiefactoryv2/tmdt_project",
    ),
}

_SERVICE = botocore.session.get_session().get_service_model("iottwinmaker")


def _manifest_files(kind: str) -> list[str]:
    """The corpus paths MANIFEST.md lists with this kind, e.g. `component-type`."""
    paths, directory = [], None
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"### `([^`]+)/`", line)
        if heading:
            directory = heading.group(1)
        cells = [c.strip() for c in line.split("|")]
        if directory and len(cells) > 3 and cells[2] == kind:
            paths.append(f"{directory}/{cells[1].strip('`')}")
    return paths


def _params(kind: str) -> list[Any]:
    if not MANIFEST.exists():
        return [pytest.param(None, id="corpus-absent")]
    return [pytest.param(path, id=path) for path in _manifest_files(kind)]


def _require_corpus() -> None:
    if MANIFEST.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the corpus is missing: {CORPUS}")
    pytest.skip(f"the corpus is not here: {CORPUS}")


def _load(path: str) -> Any:
    return json.loads((CORPUS / path).read_text(encoding="utf-8"))


# --- the adaptations MANIFEST.md describes --------------------------------------------------------


def _fill_placeholders(value: Any, key: str | None = None) -> Any:
    """Dummy values of the right type for template placeholders."""
    if isinstance(value, dict):
        if key == "lambda" and not _LAMBDA_ARN.fullmatch(str(value.get("arn", ""))):
            return {**value, "arn": DUMMY_LAMBDA}
        return {k: _fill_placeholders(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill_placeholders(v, key) for v in value]
    if key == "doubleValue" and isinstance(value, str):
        return 1.0  # a literal such as "x_pos" that a script replaces before the call
    return value


def _prune(value: Any, shape: Any) -> Any:
    """Drop every key the shape does not have (response-only flags, non-API keys)."""
    if shape.type_name == "structure" and isinstance(value, dict):
        return {k: _prune(v, shape.members[k]) for k, v in value.items() if k in shape.members}
    if shape.type_name == "map" and isinstance(value, dict):
        return {k: _prune(v, shape.value) for k, v in value.items()}
    if shape.type_name == "list" and isinstance(value, list):
        return [_prune(v, shape.member) for v in value]
    return value


def _request(body: dict[str, Any], operation: str, workspace_id: str) -> dict[str, Any]:
    adapted = _fill_placeholders(copy.deepcopy(body))
    adapted["workspaceId"] = workspace_id
    pruned: dict[str, Any] = _prune(adapted, _SERVICE.operation_model(operation).input_shape)
    return pruned


# --- finding what a file depends on ---------------------------------------------------------------


def _component_type_files() -> dict[str, list[str]]:
    """Corpus component type files by the id they define."""
    by_id: dict[str, list[str]] = {}
    for path in _manifest_files("component-type"):
        by_id.setdefault(_load(path)["componentTypeId"], []).append(path)
    return by_id


def _closeness(candidate: str, wanted_by: str) -> tuple[int, int, str]:
    """Rank a definition of a type for a file: same or shared folder first, then most in common."""
    folder = str(PurePosixPath(wanted_by).parent)
    there = str(PurePosixPath(candidate).parent)
    preferred = (folder, *SHARES_TYPES_WITH.get(folder, ()))
    rank = preferred.index(there) if there in preferred else len(preferred)
    common = 0
    for a, b in zip(PurePosixPath(candidate).parts, PurePosixPath(wanted_by).parts, strict=False):
        if a != b:
            break
        common += 1
    return rank, -common, candidate


def _dependencies(body: dict[str, Any]) -> list[str]:
    ids = list(body.get("extendsFrom") or [])
    ids += [c["componentTypeId"] for c in (body.get("compositeComponentTypes") or {}).values()]
    return ids


def _types_in_order(type_ids: list[str], wanted_by: str) -> list[str]:
    """The corpus files defining `type_ids` and their ancestors, parents before children."""
    files = _component_type_files()
    order: list[str] = []

    def visit(type_id: str) -> None:
        if type_id.startswith("com.amazon."):
            return  # built into every workspace
        assert type_id in files, f"no corpus file defines {type_id} (needed by {wanted_by})"
        path = min(files[type_id], key=lambda c: _closeness(c, wanted_by))
        if path in order:
            return
        for parent in _dependencies(_load(path)):
            visit(parent)
        order.append(path)

    for type_id in type_ids:
        visit(type_id)
    return order


def _entities_parents_first(entities: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    by_id = {e["entityId"]: e for e in entities}
    done: set[str] = set()

    def visit(entity: dict[str, Any]) -> Iterator[dict[str, Any]]:
        if entity["entityId"] in done:
            return
        parent = by_id.get(entity.get("parentEntityId", ""))
        if parent is not None:
            yield from visit(parent)
        done.add(entity["entityId"])
        yield entity

    for entity in entities:
        yield from visit(entity)


# --- loading --------------------------------------------------------------------------------------


@pytest.fixture
def client() -> Iterator[Any]:
    with twinkit.local.emulator() as twin:
        client = twin.client()
        client.create_workspace(workspaceId="corpus", role=ROLE)
        yield client


def _create_types(client: Any, paths: list[str]) -> None:
    for path in paths:
        body = _request(_load(path), "CreateComponentType", "corpus")
        client.create_component_type(**body)


def _check_component_type(client: Any, path: str) -> None:
    """GetComponentType agrees with the file, including the flags a tmdt export recorded."""
    original = _load(path)
    got = client.get_component_type(
        workspaceId="corpus", componentTypeId=original["componentTypeId"]
    )
    assert got.get("extendsFrom") == original.get("extendsFrom")
    if any("implementedBy" not in f for f in (original.get("functions") or {}).values()):
        assert got["isAbstract"] is True
    for name, definition in (original.get("propertyDefinitions") or {}).items():
        mine = got["propertyDefinitions"][name]
        if "dataType" in definition:
            assert mine["dataType"]["type"] == definition["dataType"]["type"], name
        if "defaultValue" in definition:
            assert mine["defaultValue"] == definition["defaultValue"], name
        for flag in ("isInherited", "isFinal", "isImported", "isRequiredInEntity", "isTimeSeries"):
            if flag in definition:
                assert mine[flag] == definition[flag], f"{name}.{flag}"


@pytest.mark.parametrize("path", _params("component-type"))
def test_component_type_loads(client: Any, path: str | None) -> None:
    _require_corpus()
    assert path is not None
    body = _load(path)
    _create_types(client, _types_in_order([body["componentTypeId"]], path))
    _check_component_type(client, path)


def _check_entity(client: Any, request: dict[str, Any]) -> None:
    """GetEntity shows every component, and every value given, as given."""
    got = client.get_entity(workspaceId="corpus", entityId=request["entityId"])
    assert got["parentEntityId"] == request.get("parentEntityId", "$ROOT")
    assert set(got.get("components", {})) == set(request.get("components") or {})
    for name, component in (request.get("components") or {}).items():
        mine = got["components"][name]
        assert mine["componentTypeId"] == component["componentTypeId"]
        for prop, given in (component.get("properties") or {}).items():
            if "value" in given:
                assert mine["properties"][prop]["value"] == given["value"], f"{name}.{prop}"


def _load_entities(client: Any, wanted_by: str, entities: list[dict[str, Any]]) -> None:
    type_ids = sorted(
        {c["componentTypeId"] for e in entities for c in (e.get("components") or {}).values()}
    )
    _create_types(client, _types_in_order(type_ids, wanted_by))
    for entity in _entities_parents_first(entities):
        request = _request(entity, "CreateEntity", "corpus")
        client.create_entity(**request)
        _check_entity(client, request)
    assert len(_all_entities(client)) == len(entities)


def _all_entities(client: Any) -> list[dict[str, Any]]:
    summaries, token = [], None
    while True:
        page = client.list_entities(workspaceId="corpus", **({"nextToken": token} if token else {}))
        summaries += page["entitySummaries"]
        token = page.get("nextToken")
        if not token:
            return summaries


@pytest.mark.parametrize("path", _params("entities"))
def test_entities_load(client: Any, path: str | None) -> None:
    _require_corpus()
    assert path is not None
    data = _load(path)
    entities = data["entities"] if isinstance(data, dict) else data
    _load_entities(client, path, entities)


@pytest.mark.parametrize("path", _params("entity-components"))
def test_entity_components_load(client: Any, path: str | None) -> None:
    _require_corpus()
    assert path is not None
    entity = {
        "entityId": PurePosixPath(path).stem,
        "entityName": "corpus",
        "components": _load(path),
    }
    _load_entities(client, path, [entity])
