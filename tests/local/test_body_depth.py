"""The emulator reads a body's nesting off its text: the same answer as walking the parsed
document, for any JSON, brackets and escapes inside strings included."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from twinkit.local._protocol import _depth_exceeds

_TRICKY = st.text(alphabet='[]{}"\\/ab\u00e9\u4e2d\n', max_size=8)
_DOCUMENTS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TRICKY,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TRICKY, inner, max_size=3),
    max_leaves=60,
)


def _depth(document: Any) -> int:
    if isinstance(document, dict):
        return 1 + max(map(_depth, document.values()), default=0)
    if isinstance(document, list):
        return 1 + max(map(_depth, document), default=0)
    return 0


@given(document=_DOCUMENTS, limit=st.integers(0, 12), ascii_only=st.booleans())
def test_the_text_tells_the_documents_depth(document: Any, limit: int, ascii_only: bool) -> None:
    body = json.dumps(document, ensure_ascii=ascii_only).encode()
    assert _depth_exceeds(body, document, limit) == (_depth(document) > limit)


@given(depth=st.integers(1, 300), limit=st.integers(1, 200))
def test_deep_arrays_and_objects(depth: int, limit: int) -> None:
    body = ('{"a":' * depth + "[1]" + "}" * depth).encode()
    assert _depth_exceeds(body, json.loads(body), limit) == (depth + 1 > limit)
