"""Async scenes: `ws.scenes` (create, get, list) and the `Scene` handle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from twinkit import models
from twinkit.aio.resources._base import AsyncResource
from twinkit.resources.scenes import SceneFields

if TYPE_CHECKING:
    from twinkit.aio.paging import AsyncPager
    from twinkit.aio.resources.workspaces import Workspace

__all__ = ["Scene", "Scenes"]


class Scene(SceneFields, AsyncResource[models.GetSceneResponse]):
    """A scene, for asyncio: `twinkit.resources.Scene`'s methods, awaited."""

    workspace: Workspace

    def __init__(
        self, workspace: Workspace, scene_id: str, data: models.GetSceneResponse | None = None
    ) -> None:
        super().__init__(workspace.client, data)
        self.workspace = workspace
        self.id = scene_id

    async def _fetch(self) -> models.GetSceneResponse:
        return await self._tm.get_scene(workspace_id=self.workspace.id, scene_id=self.id)

    async def update(
        self,
        *,
        content_location: str | None = None,
        description: str | None = None,
        capabilities: list[str] | None = None,
        scene_metadata: dict[str, str] | None = None,
    ) -> Scene:
        """Change the scene; members left None are kept. Returns the refreshed handle."""
        await self._tm.update_scene(
            workspace_id=self.workspace.id,
            scene_id=self.id,
            content_location=content_location,
            description=description,
            capabilities=capabilities,
            scene_metadata=scene_metadata,
        )
        return await self.refresh()

    async def delete(self) -> None:
        """Delete the scene."""
        await self._tm.delete_scene(workspace_id=self.workspace.id, scene_id=self.id)
        self._data = None


class Scenes:
    """The scenes of a workspace: `ws.scenes`."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._tm = workspace.client

    def __call__(self, scene_id: str) -> Scene:
        """A handle on a scene, without any call."""
        return Scene(self._workspace, scene_id)

    async def create(
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
        await self._tm.create_scene(
            workspace_id=self._workspace.id,
            scene_id=scene_id,
            content_location=content_location,
            description=description,
            capabilities=capabilities,
            scene_metadata=scene_metadata,
            tags=tags,
        )
        return Scene(self._workspace, scene_id)

    async def get(self, scene_id: str) -> Scene:
        """Fetch a scene.

        Raises:
            ResourceNotFoundError: there is no such scene.
        """
        return await Scene(self._workspace, scene_id).refresh()

    def list(
        self, *, page_size: int | None = None, max_items: int | None = None
    ) -> AsyncPager[Scene]:
        """Every scene of the workspace, lazily."""
        summaries = self._tm.paginate.list_scenes(
            workspace_id=self._workspace.id, page_size=page_size, max_items=max_items
        )
        return summaries.map(lambda s: Scene(self._workspace, s.scene_id))
