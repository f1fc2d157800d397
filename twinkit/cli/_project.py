"""A twin on disk: the project directory `twinkit export` writes and `twinkit import` reads.

The layout is AWS's own TwinMaker Development Tools (tmdt) project, so a directory written
by twinkit opens in tmdt and a tmdt project (as AWS's samples ship them) imports with twinkit:

    DIR/tmdt.json                 the manifest: component type files in dependency order,
                                  the entities file, scene documents
    DIR/<componentTypeId>.json    one CreateComponentType body per type
    DIR/entities.json             CreateEntity bodies, parents before their children
    DIR/scenes.json               twinkit's addition: CreateScene bodies (tmdt lists scene
                                  documents, which live in S3, under "scenes" instead)

Bodies are the API's own wire form (camelCase, `{"value": {"doubleValue": 1.0}}`), written
with sorted keys and a fixed indent so that two exports of the same twin are byte-identical
and a change reads well in a diff. This module only reads and writes files; it never calls
the service.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from twinkit.errors import TwinkitError

__all__ = [
    "MANIFEST",
    "Project",
    "ProjectError",
    "component_type_body",
    "dependency_order",
    "entity_body",
    "parents_first",
    "read_project",
    "write_project",
]

MANIFEST = "tmdt.json"
ENTITIES_FILE = "entities.json"
SCENES_FILE = "scenes.json"
TMDT_VERSION = "0.0.2"

# Members that GetComponentType/GetEntity answer but a create request does not take. tmdt
# projects carry some of them (`isInherited` on functions), so reading strips them too.
_DEFINITION_REQUEST_KEYS = (
    "configuration",
    "dataType",
    "defaultValue",
    "displayName",
    "isExternalId",
    "isRequiredInEntity",
    "isStoredExternally",
    "isTimeSeries",
)
_FUNCTION_REQUEST_KEYS = ("implementedBy", "requiredProperties", "scope")
_GROUP_REQUEST_KEYS = ("groupType", "propertyNames")


class ProjectError(TwinkitError, ValueError):
    """A project directory or one of its files cannot be used; the message names the file."""


@attrs.frozen
class Project:
    """A twin as files: wire-form bodies, in the order they can be created.

    Attributes:
        component_types: CreateComponentType bodies (without `workspaceId`), keyed by file name.
        entities: CreateEntity bodies (without `workspaceId`).
        scenes: CreateScene bodies (without `workspaceId`).
        scene_documents: tmdt scene documents (file name -> content), for projects that ship
            the S3 documents rather than scene records.
    """

    component_types: Mapping[str, dict[str, Any]]
    entities: Sequence[dict[str, Any]]
    scenes: Sequence[dict[str, Any]] = ()
    scene_documents: Mapping[str, Any] = attrs.field(factory=dict)


def _pick(source: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    return {key: source[key] for key in keys if source.get(key) is not None}


def _declared_here(items: Mapping[str, Any] | None) -> dict[str, Any]:
    """The members of a definitions map that this type declares (not those it inherits)."""
    return {name: item for name, item in (items or {}).items() if not item.get("isInherited")}


def component_type_body(described: Mapping[str, Any]) -> dict[str, Any]:
    """A CreateComponentType body from a GetComponentType answer (or a tmdt file).

    Only what the type itself declares is kept: inherited definitions, functions and groups
    come back from its parents when it is created again.
    """
    body = _pick(described, ("componentTypeId", "componentTypeName", "description"))
    if described.get("isSingleton"):
        body["isSingleton"] = True
    if described.get("extendsFrom"):
        body["extendsFrom"] = list(described["extendsFrom"])
    definitions = {
        name: _pick(definition, _DEFINITION_REQUEST_KEYS)
        for name, definition in _declared_here(described.get("propertyDefinitions")).items()
    }
    functions = {
        name: _pick(function, _FUNCTION_REQUEST_KEYS)
        for name, function in _declared_here(described.get("functions")).items()
    }
    groups = {
        name: _pick(group, _GROUP_REQUEST_KEYS)
        for name, group in _declared_here(described.get("propertyGroups")).items()
    }
    composites = {
        name: _pick(composite, ("componentTypeId",))
        for name, composite in (described.get("compositeComponentTypes") or {}).items()
    }
    for key, value in (
        ("propertyDefinitions", definitions),
        ("functions", functions),
        ("propertyGroups", groups),
        ("compositeComponentTypes", composites),
    ):
        if value:
            body[key] = value
    return body


def entity_body(
    described: Mapping[str, Any],
    type_definitions: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """A CreateEntity body from a GetEntity answer.

    A property is written when it holds a value other than its definition's default (a
    default comes back by itself); its definition is written only when the entity declares
    the property itself rather than its component type.

    Args:
        described: The GetEntity answer, wire form.
        type_definitions: component type id -> its property definitions (wire form).
    """
    body = _pick(described, ("entityId", "entityName", "description"))
    parent = described.get("parentEntityId")
    if parent and parent != "$ROOT":
        body["parentEntityId"] = parent
    components: dict[str, Any] = {}
    for name, component in sorted((described.get("components") or {}).items()):
        request = _pick(component, ("componentTypeId", "description"))
        declared = type_definitions.get(component.get("componentTypeId", ""), {})
        properties: dict[str, Any] = {}
        for prop_name, prop in sorted((component.get("properties") or {}).items()):
            definition = prop.get("definition") or {}
            value = prop.get("value")
            own = prop_name not in declared
            if value is None or value == definition.get("defaultValue"):
                value = None
            if value is None and not own:
                continue
            entry: dict[str, Any] = {}
            if own:
                entry["definition"] = _pick(definition, _DEFINITION_REQUEST_KEYS)
            if value is not None:
                entry["value"] = value
            properties[prop_name] = entry
        if properties:
            request["properties"] = properties
        components[name] = request
    if components:
        body["components"] = components
    return body


def dependency_order(bodies: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Component type ids in an order where each comes after the types it builds on.

    Types outside `bodies` (built-ins, or types already in the workspace) are not ordered;
    ties are broken by id so that the order is stable.

    Raises:
        ProjectError: if the types extend each other in a cycle.
    """
    needs = {
        type_id: sorted(
            dep
            for dep in (
                *(body.get("extendsFrom") or ()),
                *(
                    c.get("componentTypeId")
                    for c in (body.get("compositeComponentTypes") or {}).values()
                ),
            )
            if dep in bodies and dep != type_id
        )
        for type_id, body in bodies.items()
    }
    order: list[str] = []
    placed: set[str] = set()
    visiting: list[str] = []

    def place(type_id: str) -> None:
        if type_id in placed:
            return
        if type_id in visiting:
            cycle = " -> ".join([*visiting[visiting.index(type_id) :], type_id])
            raise ProjectError(f"component types extend each other in a cycle: {cycle}")
        visiting.append(type_id)
        for dep in needs[type_id]:
            place(dep)
        visiting.pop()
        placed.add(type_id)
        order.append(type_id)

    for type_id in sorted(needs):
        place(type_id)
    return order


def parents_first(bodies: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Entity bodies with every parent before its children, siblings by id.

    A body whose parent is not among `bodies` counts as a root (its parent must already
    exist where it is created).
    """
    by_id = {body["entityId"]: dict(body) for body in bodies}
    children: dict[str | None, list[str]] = {}
    for entity_id, body in by_id.items():
        parent = body.get("parentEntityId")
        children.setdefault(parent if parent in by_id else None, []).append(entity_id)
    ordered: list[dict[str, Any]] = []
    level = sorted(children.get(None, []))
    while level:
        ordered.extend(by_id[entity_id] for entity_id in level)
        level = sorted(child for entity_id in level for child in children.get(entity_id, []))
    if len(ordered) != len(by_id):  # the rest are parents of each other in a cycle
        stuck = sorted(set(by_id) - {body["entityId"] for body in ordered})
        raise ProjectError(f"{ENTITIES_FILE}: entities are each other's parents: {stuck[:5]}")
    return ordered


def _dump(path: Path, content: Any) -> None:
    path.write_text(json.dumps(content, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def write_project(
    directory: Path,
    component_types: Iterable[Mapping[str, Any]],
    entities: Iterable[Mapping[str, Any]],
    scenes: Iterable[Mapping[str, Any]],
) -> None:
    """Write a twin (create bodies, wire form) as a project directory, creating it if needed.

    Raises:
        ProjectError: if the directory holds files already (nothing is overwritten).
    """
    if directory.exists() and any(directory.iterdir()):
        raise ProjectError(f"{directory}: not empty; export writes into a new or empty directory")
    directory.mkdir(parents=True, exist_ok=True)
    bodies = {body["componentTypeId"]: dict(body) for body in component_types}
    files = []
    for type_id in dependency_order(bodies):
        name = f"{type_id}.json"
        _dump(directory / name, bodies[type_id])
        files.append(name)
    _dump(directory / ENTITIES_FILE, parents_first(list(entities)))
    _dump(directory / SCENES_FILE, sorted((dict(s) for s in scenes), key=lambda s: s["sceneId"]))
    manifest = {
        "version": TMDT_VERSION,
        "component_types": files,
        "scenes": [],
        "models": [],
        "entities": ENTITIES_FILE,
        "twinkit_scenes": SCENES_FILE,
    }
    _dump(directory / MANIFEST, manifest)


def _load(directory: Path, name: str, replacements: Mapping[str, str]) -> Any:
    path = directory / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectError(f"{path}: no such file (listed in {MANIFEST})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{path}: cannot read: {exc}") from None
    for old, new in replacements.items():
        text = text.replace(old, new)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProjectError(f"{path}:{exc.lineno}:{exc.colno}: malformed JSON: {exc.msg}") from None


def _expect(value: Any, kind: type, where: str) -> Any:
    if not isinstance(value, kind):
        raise ProjectError(f"{where}: expected a JSON {kind.__name__}, got {type(value).__name__}")
    return value


def read_project(directory: Path, replacements: Mapping[str, str] | None = None) -> Project:
    """Read a project directory written by `write_project` or by AWS's tmdt.

    Args:
        directory: The project directory.
        replacements: Text to replace in every file before it is parsed: AWS's samples ship
            placeholders such as `__TO_FILL_IN_SYNTHETIC_DATA_ARN__` for the user to fill in.

    Raises:
        ProjectError: naming the file (and line) of anything missing or malformed.
    """
    replace = replacements or {}
    if not directory.is_dir():
        raise ProjectError(f"{directory}: no such directory")
    if not (directory / MANIFEST).is_file():
        raise ProjectError(f"{directory}: no {MANIFEST}; not a twinkit or tmdt project")
    manifest = _expect(_load(directory, MANIFEST, replace), dict, f"{directory / MANIFEST}")
    component_types: dict[str, dict[str, Any]] = {}
    for index, name in enumerate(manifest.get("component_types") or []):
        where = f"{directory / MANIFEST}: component_types[{index}]"
        body = _expect(
            _load(directory, _expect(name, str, where), replace), dict, str(directory / name)
        )
        if not isinstance(body.get("componentTypeId"), str):
            raise ProjectError(f"{directory / name}: componentTypeId: missing")
        component_types[name] = component_type_body(body)
    entities: list[dict[str, Any]] = []
    if manifest.get("entities"):
        entities_file = _expect(manifest["entities"], str, f"{directory / MANIFEST}: entities")
        loaded = _expect(
            _load(directory, entities_file, replace), list, str(directory / entities_file)
        )
        for index, body in enumerate(loaded):
            where = f"{directory / entities_file}[{index}]"
            _expect(body, dict, where)
            if not isinstance(body.get("entityId"), str):
                raise ProjectError(f"{where}: entityId: missing")
            entities.append(body)
    scenes: list[dict[str, Any]] = []
    if manifest.get("twinkit_scenes"):
        scenes_file = _expect(manifest["twinkit_scenes"], str, f"{directory / MANIFEST}: scenes")
        loaded = _expect(_load(directory, scenes_file, replace), list, str(directory / scenes_file))
        for index, body in enumerate(loaded):
            where = f"{directory / scenes_file}[{index}]"
            if not isinstance(_expect(body, dict, where).get("sceneId"), str):
                raise ProjectError(f"{where}: sceneId: missing")
            scenes.append(body)
    documents = {
        name: _load(directory, name, replace)
        for name in _expect(manifest.get("scenes") or [], list, f"{directory / MANIFEST}: scenes")
    }
    return Project(component_types, entities, scenes, documents)
