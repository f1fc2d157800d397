"""Tags: every taggable resource's tags by ARN, and TagResource, UntagResource, ListTags.

Owns `EmulatorState.tags[arn]`. A backend that creates a taggable resource calls
`register_taggable` (with the request's tags), and `forget_taggable` when deleting it; a tag
request for an ARN that is not registered is a `ResourceNotFoundException`.
"""

from __future__ import annotations

from twinkit import models
from twinkit.local._backends import handles
from twinkit.local._backends._paging import page
from twinkit.local._errors import ServiceFault, not_found
from twinkit.local._state import Context

__all__ = ["MAX_TAGS", "forget_taggable", "register_taggable"]

MAX_TAGS = 50
"""The most tags a resource may have."""


def register_taggable(ctx: Context, arn: str, tags: dict[str, str] | None) -> None:
    """Make `arn` taggable (a resource was created), with its initial tags."""
    if tags is not None and len(tags) > MAX_TAGS:
        raise ServiceFault("TooManyTagsException", f"a resource has at most {MAX_TAGS} tags")
    ctx.journal.put(ctx.state.tags, arn, dict(tags or {}))


def forget_taggable(ctx: Context, arn: str) -> None:
    """Drop the tags of a deleted resource."""
    ctx.journal.remove(ctx.state.tags, arn)


def _tags_or_404(ctx: Context, arn: str) -> dict[str, str]:
    tags = ctx.state.tags.get(arn)
    if tags is None:
        raise not_found(f"Resource {arn} not found")
    return tags


@handles("TagResource")
def tag_resource(ctx: Context, request: models.TagResourceRequest) -> models.TagResourceResponse:
    tags = {**_tags_or_404(ctx, request.resource_arn), **request.tags}
    if len(tags) > MAX_TAGS:
        raise ServiceFault("TooManyTagsException", f"a resource has at most {MAX_TAGS} tags")
    ctx.journal.put(ctx.state.tags, request.resource_arn, tags)
    return models.TagResourceResponse()


@handles("UntagResource")
def untag_resource(
    ctx: Context, request: models.UntagResourceRequest
) -> models.UntagResourceResponse:
    tags = _tags_or_404(ctx, request.resource_arn)
    kept = {k: v for k, v in tags.items() if k not in set(request.tag_keys)}
    ctx.journal.put(ctx.state.tags, request.resource_arn, kept)
    return models.UntagResourceResponse()


@handles("ListTagsForResource")
def list_tags_for_resource(
    ctx: Context, request: models.ListTagsForResourceRequest
) -> models.ListTagsForResourceResponse:
    tags = _tags_or_404(ctx, request.resource_arn)
    keys, token = page(
        tags,
        key=lambda k: k,
        max_results=request.max_results,
        next_token=request.next_token,
        default_size=25,
        bound_to=request.resource_arn,
    )
    return models.ListTagsForResourceResponse(tags={k: tags[k] for k in keys}, next_token=token)
