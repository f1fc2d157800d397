"""Scenes: `ws.scenes` (create, get, list) and the `Scene` handle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from twinkit import models
from twinkit.paging import Pager
from twinkit.resources._base import Handle, Resource

if TYPE_CHECKING:
    from twinkit.resources.workspaces import Workspace, WorkspaceFields

__all__ = ["Scene", "SceneFields", "Scenes"]


class SceneFields(Handle[models.GetSceneResponse]):
    """What a scene handle reads from its description: the same for sync and async."""

    kind = "scene"
    id: str
    workspace: WorkspaceFields

    @property
    def identity(self) -> tuple[str, ...]:
        """(workspace id, scene id)."""
        return (self.workspace.id, self.id)

    @property
    def arn(self) -> str:
        """The scene's ARN."""
        return self.data.arn

    @property
    def content_location(self) -> str:
        """The `s3://` URL of the scene document."""
        return self.data.content_location


class Scene(SceneFields, Resource[models.GetSceneResponse]):
    """A scene: a 3D view of the workspace, described by a JSON document in S3."""

    workspace: Workspace

    def __init__(
        self, workspace: Workspace, scene_id: str, data: models.GetSceneResponse | None = None
    ) -> None:
        super().__init__(workspace.client, data)
        self.workspace = workspace
        self.id = scene_id

    def _fetch(self) -> models.GetSceneResponse:
        return self._tm.get_scene(workspace_id=self.workspace.id, scene_id=self.id)

    def update(
        self,
        *,
        content_location: str | None = None,
        description: str | None = None,
        capabilities: list[str] | None = None,
        scene_metadata: dict[str, str] | None = None,
    ) -> Scene:
        """Change the scene; members left None are kept. Returns the refreshed handle."""
        self._tm.update_scene(
            workspace_id=self.workspace.id,
            scene_id=self.id,
            content_location=content_location,
            description=description,
            capabilities=capabilities,
            scene_metadata=scene_metadata,
        )
        return self.refresh()

    def delete(self) -> None:
        """Delete the scene."""
        self._tm.delete_scene(workspace_id=self.workspace.id, scene_id=self.id)
        self._data = None


class Scenes:
    """The scenes of a workspace: `ws.scenes`."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._tm = workspace.client

    def __call__(self, scene_id: str) -> Scene:
        """A handle on a scene, without any call."""
        return Scene(self._workspace, scene_id)

    def create(
        self,
        scene_id: str,
        *,
        content_location: str,
        description: str | None = None,
        capabilities: list[str] | None = None,
        scene_metadata: dict[str, str] | None = None,
        tags: dict[str, str] | None = None,
    ) -> Scene:
        """Create a scene whose document is at `content_location` (`s3://bucket/key.json`).

        Raises:
            ValidationError: an argument breaks the service model's rules.
            ConflictError: a scene with this id exists in the workspace.
        """
        self._tm.create_scene(
            workspace_id=self._workspace.id,
            scene_id=scene_id,
            content_location=content_location,
            description=description,
            capabilities=capabilities,
            scene_metadata=scene_metadata,
            tags=tags,
        )
        return Scene(self._workspace, scene_id)

    def get(self, scene_id: str) -> Scene:
        """Fetch a scene.

        Raises:
            ResourceNotFoundError: there is no such scene.
        """
        return Scene(self._workspace, scene_id).refresh()

    def list(self, *, page_size: int | None = None, max_items: int | None = None) -> Pager[Scene]:
        """Every scene of the workspace, lazily."""
        tm = self._tm
        summaries = tm.paginate.list_scenes(
            workspace_id=self._workspace.id, page_size=page_size, max_items=max_items
        )
        return summaries.map(lambda s: Scene(self._workspace, s.scene_id))
