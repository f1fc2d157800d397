"""Workspaces: create, get, update, list, delete. Tags live in `tags`."""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime
from typing import Any

import attrs

from twinkit import models
from twinkit.local._backends import handles
from twinkit.local._backends._entity_index import EntityTable
from twinkit.local._backends._paging import page
from twinkit.local._backends.tags import forget_taggable, register_taggable
from twinkit.local._errors import conflict, not_found, validation
from twinkit.local._state import Context, given_or


@attrs.frozen
class WorkspaceRecord:
    workspace_id: str
    arn: str
    description: str | None
    s3_location: str | None
    role: str | None
    linked_services: list[str] | None
    created: datetime
    updated: datetime


def workspace_or_404(ctx: Context, workspace_id: str) -> WorkspaceRecord:
    """The workspace with this id (or ARN), or `ResourceNotFoundException`."""
    record: WorkspaceRecord | None = ctx.state.workspaces.get(workspace_id)
    if record is None and workspace_id.startswith("arn:"):
        record = next((w for w in ctx.state.workspaces.values() if w.arn == workspace_id), None)
    if record is None:
        raise not_found(f"Workspace {workspace_id} not found")
    return record


@handles("CreateWorkspace")
def create_workspace(
    ctx: Context, request: models.CreateWorkspaceRequest
) -> models.CreateWorkspaceResponse:
    if request.workspace_id in ctx.state.workspaces:
        raise conflict(f"Workspace {request.workspace_id} already exists")
    record = WorkspaceRecord(
        workspace_id=request.workspace_id,
        arn=ctx.arn(f"workspace/{request.workspace_id}"),
        description=request.description,
        s3_location=request.s3_location,
        role=request.role,
        linked_services=None,
        created=ctx.now,
        updated=ctx.now,
    )
    ctx.journal.put(ctx.state.workspaces, record.workspace_id, record)
    ctx.journal.put(ctx.state.component_types, record.workspace_id, {})
    entities: MutableMapping[str, Any] = EntityTable()
    ctx.journal.put(ctx.state.entities, record.workspace_id, entities)
    ctx.journal.put(ctx.state.scenes, record.workspace_id, {})
    register_taggable(ctx, record.arn, request.tags)
    return models.CreateWorkspaceResponse(arn=record.arn, creation_date_time=record.created)


@handles("GetWorkspace")
def get_workspace(ctx: Context, request: models.GetWorkspaceRequest) -> models.GetWorkspaceResponse:
    record = workspace_or_404(ctx, request.workspace_id)
    return models.GetWorkspaceResponse(
        workspace_id=record.workspace_id,
        arn=record.arn,
        description=record.description,
        linked_services=record.linked_services,
        s3_location=record.s3_location,
        role=record.role,
        creation_date_time=record.created,
        update_date_time=record.updated,
    )


@handles("UpdateWorkspace")
def update_workspace(
    ctx: Context, request: models.UpdateWorkspaceRequest
) -> models.UpdateWorkspaceResponse:
    record = workspace_or_404(ctx, request.workspace_id)
    updated = attrs.evolve(
        record,
        description=given_or(request.description, record.description),
        role=given_or(request.role, record.role),
        s3_location=given_or(request.s3_location, record.s3_location),
        updated=ctx.now,
    )
    ctx.journal.put(ctx.state.workspaces, record.workspace_id, updated)
    return models.UpdateWorkspaceResponse(update_date_time=ctx.now)


@handles("ListWorkspaces")
def list_workspaces(
    ctx: Context, request: models.ListWorkspacesRequest
) -> models.ListWorkspacesResponse:
    records, token = page(
        ctx.state.workspaces.values(),
        key=lambda w: w.workspace_id,
        max_results=request.max_results,
        next_token=request.next_token,
        default_size=25,
    )
    return models.ListWorkspacesResponse(
        workspace_summaries=[
            models.WorkspaceSummary(
                workspace_id=w.workspace_id,
                arn=w.arn,
                description=w.description,
                linked_services=w.linked_services,
                creation_date_time=w.created,
                update_date_time=w.updated,
            )
            for w in records
        ],
        next_token=token,
    )


def _user_component_types(ctx: Context, workspace_id: str) -> list[str]:
    return sorted(ctx.state.component_types.get(workspace_id, {}))


@handles("DeleteWorkspace")
def delete_workspace(
    ctx: Context, request: models.DeleteWorkspaceRequest
) -> models.DeleteWorkspaceResponse:
    record = workspace_or_404(ctx, request.workspace_id)
    holding = [
        kind
        for kind, container in (
            ("entities", ctx.state.entities),
            ("scenes", ctx.state.scenes),
            ("component types", ctx.state.component_types),
        )
        if container.get(record.workspace_id)
    ]
    if holding:
        raise validation(
            f"Workspace {record.workspace_id} still holds {', '.join(holding)}: delete them first"
        )
    ctx.journal.remove(ctx.state.workspaces, record.workspace_id)
    containers: tuple[MutableMapping[str, Any], ...] = (
        ctx.state.component_types,
        ctx.state.entities,
        ctx.state.scenes,
    )
    for container in containers:
        ctx.journal.remove(container, record.workspace_id)
    forget_taggable(ctx, record.arn)
    return models.DeleteWorkspaceResponse(message=f"Workspace {record.workspace_id} deleted")
