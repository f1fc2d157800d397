"""Resource handles over the typed client: workspaces, component types, entities, scenes, jobs."""

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
