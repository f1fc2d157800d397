"""Export a workspace to a project directory and import one, all or nothing.

Import checks every file against the service model and the workspace before it creates
anything; if the service refuses something midway, what was created is deleted again in
reverse order, so a failed import leaves the workspace as it found it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs

from twinkit import models
from twinkit._client import TwinMaker
from twinkit.cli._project import (
    Project,
    ProjectError,
    component_type_body,
    dependency_order,
    entity_body,
    parents_first,
    read_project,
    write_project,
)
from twinkit.errors import ResourceNotFoundError, TwinkitError, ValidationError
from twinkit.wire import converter

__all__ = ["ImportSummary", "export_workspace", "import_project"]

BUILT_IN_PREFIX = "com.amazon."

M = TypeVar("M")


@attrs.frozen
class ImportSummary:
    """What an import created."""

    component_types: int
    entities: int
    scenes: int


def _wire(model: object) -> dict[str, Any]:
    wire: dict[str, Any] = converter.unstructure(model)
    return wire


def export_workspace(tm: TwinMaker, workspace_id: str, directory: Path) -> ImportSummary:
    """Write a workspace's component types (not the built-in ones), entities and scenes.

    Raises:
        ResourceNotFoundError: the workspace does not exist.
        ProjectError: the directory is not empty.
    """
    tm.get_workspace(workspace_id=workspace_id)
    if directory.exists() and any(directory.iterdir()):
        raise ProjectError(f"{directory}: not empty; export writes into a new or empty directory")
    described_types: dict[str, dict[str, Any]] = {}
    for summary in tm.paginate.list_component_types(workspace_id=workspace_id):
        type_id = summary.component_type_id
        described_types[type_id] = _wire(
            tm.get_component_type(workspace_id=workspace_id, component_type_id=type_id)
        )
    definitions = {
        type_id: described.get("propertyDefinitions") or {}
        for type_id, described in described_types.items()
    }
    entities = [
        entity_body(
            _wire(tm.get_entity(workspace_id=workspace_id, entity_id=summary.entity_id)),
            definitions,
        )
        for summary in tm.paginate.list_entities(workspace_id=workspace_id)
    ]
    scenes = []
    for scene_summary in tm.paginate.list_scenes(workspace_id=workspace_id):
        described = _wire(tm.get_scene(workspace_id=workspace_id, scene_id=scene_summary.scene_id))
        keep = ("sceneId", "contentLocation", "description", "capabilities", "sceneMetadata")
        scenes.append({key: described[key] for key in keep if described.get(key)})
    own_types = [
        component_type_body(described)
        for type_id, described in described_types.items()
        if not type_id.startswith(BUILT_IN_PREFIX)
    ]
    write_project(directory, own_types, entities, scenes)
    return ImportSummary(len(own_types), len(entities), len(scenes))


def _checked(body: Mapping[str, Any], model: type[M], workspace_id: str, where: str) -> M:
    """The body as a typed request, or a ProjectError naming the file and the field."""
    try:
        return converter.structure({**body, "workspaceId": workspace_id}, model)
    except ValidationError as exc:
        first = exc.problems[0]
        more = f" (and {len(exc.problems) - 1} more problems)" if len(exc.problems) > 1 else ""
        field = f".{first.wire_path}" if first.wire_path and first.wire_path[0] != "[" else ""
        raise ProjectError(f"{where}{field or first.wire_path}: {first.message}{more}") from None


def _fields(request: attrs.AttrsInstance) -> dict[str, Any]:
    """A request model as the keyword arguments of its operation's method."""
    return {field.name: getattr(request, field.name) for field in attrs.fields(type(request))}


def _scene_records(project: Project, s3_location: str | None) -> list[dict[str, Any]]:
    """twinkit scene records, plus records for a tmdt project's scene documents.

    tmdt ships scene documents meant for the workspace's S3 bucket; their records point
    there (`s3://bucket/<file>`). Uploading the documents is left to the user.
    """
    records = [dict(scene) for scene in project.scenes]
    if project.scene_documents:
        bucket = (s3_location or "").rsplit(":", 1)[-1]
        if not bucket:
            raise ProjectError(
                "the project has scene documents, and the workspace has no S3 bucket for them"
            )
        for name in sorted(project.scene_documents):
            records.append({"sceneId": Path(name).stem, "contentLocation": f"s3://{bucket}/{name}"})
    return records


class _Undo:
    """What an import created so far, to delete in reverse if a later step fails."""

    def __init__(self) -> None:
        self._steps: list[tuple[str, Callable[[], None]]] = []

    def add(self, what: str, step: Callable[[], None]) -> None:
        self._steps.append((what, step))

    def run(self) -> list[str]:
        """Undo everything, newest first; the names of what could not be undone."""
        return [what for what, step in reversed(self._steps) if not _succeeds(step)]


def _succeeds(step: Callable[[], None]) -> bool:
    try:
        step()
    except TwinkitError:
        return False
    return True


def _existing(pages: Iterable[Any], attribute: str) -> set[str]:
    return {getattr(item, attribute) for item in pages}


def import_project(
    tm: TwinMaker,
    directory: Path,
    workspace_id: str,
    *,
    replacements: Mapping[str, str] | None = None,
    on_step: Callable[[str], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Create a project's component types, entities and scenes in a workspace.

    Args:
        tm: The client to create with.
        directory: The project (a `twinkit export` or a tmdt project).
        workspace_id: The workspace to create in; it must exist.
        replacements: Text replaced in every file before parsing (placeholders).
        on_step: Called with a line for each resource created.
        on_plan: Called once every file has been checked, before anything is created, with
            the number of resources the import will create (for a progress bar).

    Raises:
        ProjectError: a file is malformed or breaks the service model (nothing was created),
            or something already exists in the workspace.
        ResourceNotFoundError: the workspace does not exist.
        ImportFailedError: the service refused a step; what was created was deleted again.
    """
    project = read_project(directory, replacements)
    workspace = tm.get_workspace(workspace_id=workspace_id)
    step = on_step or (lambda _message: None)

    # Check every file before anything is created.
    types_by_id: dict[str, tuple[str, dict[str, Any]]] = {}
    for name, body in project.component_types.items():
        type_id = body["componentTypeId"]
        if type_id in types_by_id:
            raise ProjectError(f"{directory / name}: component type {type_id!r} defined twice")
        types_by_id[type_id] = (name, body)
    type_requests = {
        type_id: _checked(
            body, models.CreateComponentTypeRequest, workspace_id, str(directory / name)
        )
        for type_id, (name, body) in types_by_id.items()
    }
    ordered_entities = parents_first(project.entities)
    entity_requests = [
        _checked(
            body,
            models.CreateEntityRequest,
            workspace_id,
            f"{directory}/entities[{body['entityId']}]",
        )
        for body in ordered_entities
    ]
    scene_requests = [
        _checked(
            body, models.CreateSceneRequest, workspace_id, f"{directory}/scenes[{body['sceneId']}]"
        )
        for body in _scene_records(project, workspace.s3_location)
    ]

    present_types = _existing(
        tm.paginate.list_component_types(workspace_id=workspace_id), "component_type_id"
    )
    present_entities = _existing(tm.paginate.list_entities(workspace_id=workspace_id), "entity_id")
    present_scenes = _existing(tm.paginate.list_scenes(workspace_id=workspace_id), "scene_id")
    for kind, wanted, present in (
        ("component type", type_requests, present_types),
        ("entity", [r.entity_id or "" for r in entity_requests], present_entities),
        ("scene", [r.scene_id for r in scene_requests], present_scenes),
    ):
        clash = sorted(set(wanted) & present)
        if clash:
            raise ProjectError(
                f"{kind} {clash[0]!r} already exists in workspace {workspace_id!r}"
                + (f" (and {len(clash) - 1} more)" if len(clash) > 1 else "")
            )
    for type_id, type_request in type_requests.items():
        for parent in type_request.extends_from or []:
            if parent not in type_requests and parent not in present_types:
                name = types_by_id[type_id][0]
                raise ProjectError(
                    f"{directory / name}: extendsFrom: {parent!r} is neither in the project "
                    f"nor in workspace {workspace_id!r}"
                )
    known_entities = {r.entity_id for r in entity_requests} | present_entities
    for entity_request in entity_requests:
        parent_id = entity_request.parent_entity_id
        if parent_id and parent_id != "$ROOT" and parent_id not in known_entities:
            raise ProjectError(
                f"{directory}/entities[{entity_request.entity_id}]: parentEntityId: "
                f"{parent_id!r} is neither in the project nor in workspace {workspace_id!r}"
            )

    if on_plan is not None:
        on_plan(len(type_requests) + len(entity_requests) + len(scene_requests))
    undo = _Undo()
    ws = tm.workspaces(workspace_id)
    try:
        # Create a level at a time and wait for the whole level, so that nothing is created
        # on a parent still being created, without waiting for each resource in turn.
        type_order = dependency_order({t: b for t, (_, b) in types_by_id.items()})
        by_entity = {r.entity_id or "": r for r in entity_requests}
        _create_by_level(
            "component type",
            _levels(type_order, lambda t: type_requests[t].extends_from or []),
            lambda type_id: tm.create_component_type(**_fields(type_requests[type_id])),
            ws.component_types,
            undo,
            step,
        )
        _create_by_level(
            "entity",
            _levels(list(by_entity), lambda e: [by_entity[e].parent_entity_id or ""]),
            lambda entity_id: tm.create_entity(**_fields(by_entity[entity_id])),
            ws.entities,
            undo,
            step,
        )
        for scene_request in scene_requests:
            tm.create_scene(**_fields(scene_request))
            scene = ws.scenes(scene_request.scene_id)
            undo.add(f"scene {scene.id!r}", scene.delete)
            step(f"scene {scene.id}")
    except TwinkitError as exc:
        left = undo.run()
        raise ImportFailedError(exc, left) from exc
    return ImportSummary(len(type_requests), len(entity_requests), len(scene_requests))


def _create_by_level(
    kind: str,
    levels: list[list[str]],
    create: Callable[[str], object],
    handle_of: Callable[[str], Any],
    undo: _Undo,
    step: Callable[[str], None],
) -> None:
    """Create each level's resources, then wait until all of them are ACTIVE."""
    for level in levels:
        handles = []
        for resource_id in level:
            create(resource_id)
            handle = handle_of(resource_id)
            undo.add(f"{kind} {resource_id!r}", _deleter(handle))
            handles.append(handle)
            step(f"{kind} {resource_id}")
        for handle in handles:
            handle.wait_until_active()


def _levels(ordered: list[str], needs: Callable[[str], list[str]]) -> list[list[str]]:
    """`ordered` (dependencies first) cut into levels: each needs only earlier levels."""
    depth: dict[str, int] = {}
    for item in ordered:
        depth[item] = 1 + max((depth[dep] for dep in needs(item) if dep in depth), default=-1)
    levels: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for item in ordered:
        levels[depth[item]].append(item)
    return levels


def _deleter(handle: Any) -> Callable[[], None]:
    def delete() -> None:
        try:
            handle.delete()
            handle.wait_until_deleted()
        except ResourceNotFoundError:
            pass

    return delete


class ImportFailedError(TwinkitError):
    """The service refused a step of an import; what had been created was deleted again.

    Attributes:
        cause: The error of the step that failed.
        left_behind: What could not be deleted again (empty when the rollback was complete).
    """

    def __init__(self, cause: TwinkitError, left_behind: list[str]) -> None:
        self.cause = cause
        self.left_behind = left_behind
        first_line = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
        outcome = (
            "nothing was left behind"
            if not left_behind
            else f"could not delete again: {', '.join(left_behind)}"
        )
        super().__init__(f"import failed: {first_line}; {outcome}")
