"""Scenes: create, get, update, list, delete.

Deviation from the service: the emulator cannot read the scene document at `contentLocation`
(it has no S3), so `generatedSceneMetadata` is never filled and no scene `error` is reported.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from twinkit import models
from twinkit.local._backends import handles
from twinkit.local._backends._paging import page
from twinkit.local._backends.tags import forget_taggable, register_taggable
from twinkit.local._backends.workspaces import workspace_or_404
from twinkit.local._errors import conflict, not_found
from twinkit.local._state import Context, given_or


@attrs.frozen
class SceneRecord:
    scene_id: str
    arn: str
    content_location: str
    description: str | None
    capabilities: list[str] | None
    scene_metadata: dict[str, str] | None
    created: datetime
    updated: datetime


def _scenes(ctx: Context, workspace_id: str) -> dict[str, SceneRecord]:
    workspace = workspace_or_404(ctx, workspace_id)
    scenes: dict[str, SceneRecord] = ctx.state.scenes[workspace.workspace_id]
    return scenes


def _scene_or_404(ctx: Context, workspace_id: str, scene_id: str) -> SceneRecord:
    scene = _scenes(ctx, workspace_id).get(scene_id)
    if scene is None:
        raise not_found(f"Scene {scene_id} not found in workspace {workspace_id}")
    return scene


@handles("CreateScene")
def create_scene(ctx: Context, request: models.CreateSceneRequest) -> models.CreateSceneResponse:
    scenes = _scenes(ctx, request.workspace_id)
    if request.scene_id in scenes:
        raise conflict(f"Scene {request.scene_id} already exists")
    record = SceneRecord(
        scene_id=request.scene_id,
        arn=ctx.arn(f"workspace/{request.workspace_id}/scene/{request.scene_id}"),
        content_location=request.content_location,
        description=request.description,
        capabilities=request.capabilities,
        scene_metadata=request.scene_metadata,
        created=ctx.now,
        updated=ctx.now,
    )
    ctx.journal.put(scenes, record.scene_id, record)
    register_taggable(ctx, record.arn, request.tags)
    return models.CreateSceneResponse(arn=record.arn, creation_date_time=record.created)


@handles("GetScene")
def get_scene(ctx: Context, request: models.GetSceneRequest) -> models.GetSceneResponse:
    scene = _scene_or_404(ctx, request.workspace_id, request.scene_id)
    return models.GetSceneResponse(
        workspace_id=request.workspace_id,
        scene_id=scene.scene_id,
        content_location=scene.content_location,
        arn=scene.arn,
        creation_date_time=scene.created,
        update_date_time=scene.updated,
        description=scene.description,
        capabilities=scene.capabilities,
        scene_metadata=scene.scene_metadata,
    )


@handles("UpdateScene")
def update_scene(ctx: Context, request: models.UpdateSceneRequest) -> models.UpdateSceneResponse:
    scene = _scene_or_404(ctx, request.workspace_id, request.scene_id)

    updated = attrs.evolve(
        scene,
        content_location=given_or(request.content_location, scene.content_location),
        description=given_or(request.description, scene.description),
        capabilities=given_or(request.capabilities, scene.capabilities),
        scene_metadata=given_or(request.scene_metadata, scene.scene_metadata),
        updated=ctx.now,
    )
    ctx.journal.put(_scenes(ctx, request.workspace_id), scene.scene_id, updated)
    return models.UpdateSceneResponse(update_date_time=ctx.now)


@handles("DeleteScene")
def delete_scene(ctx: Context, request: models.DeleteSceneRequest) -> models.DeleteSceneResponse:
    scene = _scene_or_404(ctx, request.workspace_id, request.scene_id)
    ctx.journal.remove(_scenes(ctx, request.workspace_id), scene.scene_id)
    forget_taggable(ctx, scene.arn)
    return models.DeleteSceneResponse()


@handles("ListScenes")
def list_scenes(ctx: Context, request: models.ListScenesRequest) -> models.ListScenesResponse:
    records, token = page(
        _scenes(ctx, request.workspace_id).values(),
        key=lambda s: s.scene_id,
        max_results=request.max_results,
        next_token=request.next_token,
        default_size=25,
        bound_to=request.workspace_id,
    )
    return models.ListScenesResponse(
        scene_summaries=[
            models.SceneSummary(
                scene_id=s.scene_id,
                content_location=s.content_location,
                arn=s.arn,
                creation_date_time=s.created,
                update_date_time=s.updated,
                description=s.description,
            )
            for s in records
        ],
        next_token=token,
    )
