"""Resource handles over the typed client: workspaces, scenes, component types, entities, jobs."""

from twinkit.resources.scenes import Scene, Scenes
from twinkit.resources.workspaces import Workspace, Workspaces

__all__ = ["Scene", "Scenes", "Workspace", "Workspaces"]
