"""Resource handles over the typed client: workspaces, component types, entities, scenes, jobs."""

from twinkit._display import EntityTree
from twinkit.resources.component_types import ComponentType, ComponentTypes
from twinkit.resources.entities import ROOT, Entities, Entity, EntityChildren
from twinkit.resources.jobs import (
    MetadataTransferJob,
    MetadataTransferJobs,
    PricingPlan,
    SyncJob,
    SyncJobs,
)
from twinkit.resources.scenes import Scene, Scenes
from twinkit.resources.workspaces import Workspace, Workspaces

__all__ = [
    "ROOT",
    "ComponentType",
    "ComponentTypes",
    "Entities",
    "Entity",
    "EntityChildren",
    "EntityTree",
    "MetadataTransferJob",
    "MetadataTransferJobs",
    "PricingPlan",
    "Scene",
    "Scenes",
    "SyncJob",
    "SyncJobs",
    "Workspace",
    "Workspaces",
]

# Defined in a private module (it has no calls of its own); shown as twinkit.resources.EntityTree.
EntityTree.__module__ = __name__
