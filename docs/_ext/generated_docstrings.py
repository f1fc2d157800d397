"""A griffe extension for the API reference: generated docstrings are plain text, not Markdown.

The models' docstrings are AWS's documentation text, copied by tools/codegen. That text holds
brackets (`[.SSSSSSSSS][Z/±HH:mm]`) that Markdown would read as reference links, which
`mkdocs build --strict` then refuses as unknown cross-references; escaping them shows the text
as AWS wrote it.
"""

from __future__ import annotations

from typing import Any

import griffe

GENERATED_PREFIX = "twinkit._generated."


class GeneratedDocstringsAsText(griffe.Extension):
    """Escape Markdown link brackets in the docstrings of generated objects."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is None or not obj.canonical_path.startswith(GENERATED_PREFIX):
            return
        obj.docstring.value = obj.docstring.value.replace("[", r"\[").replace("]", r"\]")
