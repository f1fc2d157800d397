"""Stable, opaque pagination tokens bound to the request that started the listing.

A token encodes the last key returned and a digest of the other inputs (the filters): the
next page starts strictly after that key, so a listing never repeats or skips an item that
existed throughout, and a token replayed with other filters is refused.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from twinkit.local._errors import validation

__all__ = ["decode_token", "encode_token", "page", "page_in_order"]

T = TypeVar("T")


def _digest(bound_to: object) -> str:
    return hashlib.sha256(repr(bound_to).encode()).hexdigest()[:16]


def encode_token(last_key: str, bound_to: object) -> str:
    """An opaque token for the page after `last_key`, valid only for `bound_to`'s inputs."""
    payload = json.dumps({"after": last_key, "for": _digest(bound_to)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_token(token: str, bound_to: object) -> str:
    """The last key a token names; `ValidationException` if it is forged or for other inputs."""
    try:
        padded = token + "=" * (-len(token) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        after, digest = payload["after"], payload["for"]
    except (ValueError, KeyError, TypeError):
        raise validation("nextToken is not a token this service issued") from None
    if not isinstance(after, str) or digest != _digest(bound_to):
        raise validation("nextToken does not belong to this request (its inputs changed)")
    return after


def page(
    items: Iterable[T],
    *,
    key: Callable[[T], str],
    max_results: int | None,
    next_token: str | None,
    default_size: int,
    bound_to: object = None,
) -> tuple[Sequence[T], str | None]:
    """One page of `items` in `key` order, and the token for the next page (None at the end).

    Args:
        items: Everything the listing covers (filtered already).
        key: The unique, stable sort key of an item.
        max_results: The caller's page size; None or 0 means `default_size`.
        next_token: The token from the previous page, if any.
        default_size: The service's documented default page size.
        bound_to: The request's other inputs; a token is valid only with the same ones.

    Raises:
        ServiceFault: `ValidationException` for a token this listing did not issue.
    """
    size = max_results or default_size
    ordered = sorted(items, key=key)
    if next_token:
        after = decode_token(next_token, bound_to)
        ordered = [item for item in ordered if key(item) > after]
    chunk = ordered[:size]
    token = encode_token(key(chunk[-1]), bound_to) if len(ordered) > size and chunk else None
    return chunk, token


def page_in_order(
    items_after: Callable[[str | None], Iterator[T]],
    *,
    key: Callable[[T], str],
    max_results: int | None,
    next_token: str | None,
    default_size: int,
    bound_to: object = None,
) -> tuple[Sequence[T], str | None]:
    """One page, as `page` gives it, read from an index already in `key` order.

    Only the page and one item more are read, so a page costs O(page), not O(everything).

    Args:
        items_after: The items whose key is after the given one (all for None), in order.
        key, max_results, next_token, default_size, bound_to: As for `page`.

    Raises:
        ServiceFault: `ValidationException` for a token this listing did not issue.
    """
    size = max_results or default_size
    after = decode_token(next_token, bound_to) if next_token else None
    chunk = list(itertools.islice(items_after(after), size + 1))
    if len(chunk) <= size:
        return chunk, None
    chunk = chunk[:size]
    return chunk, encode_token(key(chunk[-1]), bound_to)
