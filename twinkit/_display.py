"""How twinkit objects show in notebooks: small, escaped HTML tables, fetched lazily.

Jupyter calls `_repr_html_` on whatever a cell returns; the classes that users meet there
(models, pagers, resources, entity trees) implement it with the functions below. Rendering
never fetches more than it shows: a pager shows its first rows from one page, a resource
its own description (one call, cached on the handle as usual).
"""

from __future__ import annotations

import enum
import html
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

__all__ = [
    "EntityTree",
    "html_table",
    "model_html",
    "rows_html",
    "value_text",
]

ROWS_SHOWN = 10
"""Rows a pager or a long list shows before "more"."""

_TEXT_LIMIT = 80

_STYLE = "border-collapse:collapse;text-align:left;font-size:0.9em"
_CELL = "border:1px solid #ddd;padding:2px 6px;vertical-align:top;text-align:left"


def value_text(value: Any, limit: int = _TEXT_LIMIT) -> str:
    """A short, plain-text form of a value for a table cell (not escaped)."""
    if isinstance(value, enum.Enum):
        text = str(value.value)
    elif isinstance(value, datetime):
        text = value.isoformat()
    elif attrs.has(type(value)):
        members = _members(value)
        if len(members) == 1:  # a union, or a wrapper of one member: show the member
            ((name, inner),) = members.items()
            text = f"{name}={value_text(inner, limit)}"
        else:
            text = ", ".join(f"{name}={value_text(v, limit)}" for name, v in members.items())
    elif isinstance(value, Mapping):
        text = "{" + ", ".join(f"{k}: {value_text(v, limit)}" for k, v in value.items()) + "}"
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(value_text(v, limit) for v in value) + "]"
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _members(obj: Any) -> dict[str, Any]:
    """An attrs instance's members that are set (not None)."""
    return {
        field.name: getattr(obj, field.name)
        for field in attrs.fields(type(obj))
        if getattr(obj, field.name) is not None
    }


def html_table(
    header: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str | None = None
) -> str:
    """An HTML table of already-escaped cells."""
    head = "".join(f'<th style="{_CELL}">{cell}</th>' for cell in header)
    body = "".join(
        "<tr>" + "".join(f'<td style="{_CELL}">{cell}</td>' for cell in row) + "</tr>"
        for row in rows
    )
    title = f'<caption style="text-align:left"><b>{caption}</b></caption>' if caption else ""
    thead = f"<thead><tr>{head}</tr></thead>"
    return f'<table style="{_STYLE}">{title}{thead}<tbody>{body}</tbody></table>'


def model_html(obj: Any, *, caption: str | None = None, depth: int = 2) -> str:
    """A model as a two-column table of its members that are set; nested models nest."""
    rows = []
    for name, value in _members(obj).items():
        if depth > 0 and attrs.has(type(value)) and len(_members(value)) > 1:
            cell = model_html(value, depth=depth - 1)
        elif (
            depth > 0
            and isinstance(value, Mapping)
            and value
            and all(attrs.has(type(v)) for v in value.values())
        ):
            cell = rows_html(list(value.values()), keys=[str(k) for k in value], depth=depth - 1)
        else:
            cell = html.escape(value_text(value))
        rows.append((html.escape(name), cell))
    return html_table(("member", "value"), rows, caption=caption)


def rows_html(
    items: Sequence[Any],
    *,
    keys: Sequence[str] | None = None,
    more: bool = False,
    depth: int = 0,
    caption: str | None = None,
) -> str:
    """Models as a table, a row each and a column per member any of them sets.

    Args:
        items: The models (or plain values) to show.
        keys: A first column naming each row (a map's keys).
        more: Whether to say that there are more rows than shown.
        depth: Unused beyond 0 (cells hold short text); kept for symmetry with `model_html`.
        caption: A caption above the table.
    """
    del depth
    shown = list(items[:ROWS_SHOWN])
    columns: list[str] = []
    for item in shown:
        for name in _members(item) if attrs.has(type(item)) else ():
            if name not in columns:
                columns.append(name)
    rows = []
    for index, item in enumerate(shown):
        members = _members(item) if attrs.has(type(item)) else {}
        cells = [html.escape(value_text(members.get(c, ""))) for c in columns] or [
            html.escape(value_text(item))
        ]
        if keys is not None:
            cells.insert(0, f"<b>{html.escape(keys[index])}</b>")
        rows.append(cells)
    header = ([""] if keys is not None else []) + (columns or ["value"])
    table = html_table(header, rows, caption=caption)
    if more or len(items) > ROWS_SHOWN:
        table += "<p><i>… more not shown</i></p>"
    return table


@attrs.frozen
class EntityTree:
    """An entity and its descendants, as fetched once: prints as a tree, shows as HTML.

    Attributes:
        entity_id: The entity's id.
        name: The entity's name.
        children: Its child entities' trees, by name then id.
        truncated: True when the entity has children deeper than the depth fetched.
    """

    entity_id: str
    name: str
    children: tuple[EntityTree, ...] = ()
    truncated: bool = False

    def walk(self) -> Iterable[EntityTree]:
        """This tree and every tree under it, parents first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def _label(self) -> str:
        return self.name if self.name == self.entity_id else f"{self.name} ({self.entity_id})"

    def _lines(self, prefix: str = "", last: bool = True, root: bool = True) -> list[str]:
        lines = [self._label() if root else f"{prefix}{'└── ' if last else '├── '}{self._label()}"]
        inner = "" if root else prefix + ("    " if last else "│   ")
        for index, child in enumerate(self.children):
            lines.extend(child._lines(inner, index == len(self.children) - 1, root=False))
        if self.truncated:
            lines.append(f"{inner}└── …")
        return lines

    def __str__(self) -> str:
        return "\n".join(self._lines())

    def _repr_html_(self) -> str:
        def item(tree: EntityTree) -> str:
            inner = "".join(item(child) for child in tree.children)
            if tree.truncated:
                inner += "<li>…</li>"
            label = html.escape(tree.name)
            if tree.name != tree.entity_id:
                label += f' <span style="color:#888">({html.escape(tree.entity_id)})</span>'
            return f"<li>{label}{f'<ul>{inner}</ul>' if inner else ''}</li>"

        return f'<ul style="list-style:none;padding-left:1em">{item(self)}</ul>'


def _type_text(data_type: Any) -> str:
    if data_type is None:
        return ""
    text = str(getattr(data_type.type, "value", data_type.type))
    if data_type.nested_type is not None:
        text += f"<{_type_text(data_type.nested_type)}>"
    return text


def _flag(value: Any) -> str:
    return "✓" if value else ""


def definitions_html(definitions: Mapping[str, Any], *, caption: str | None = None) -> str:
    """Property definitions as a table: name, type, default and flags."""
    rows = [
        (
            f"<b>{html.escape(name)}</b>",
            html.escape(_type_text(definition.data_type)),
            html.escape(value_text(definition.default_value) if definition.default_value else ""),
            _flag(definition.is_time_series),
            _flag(definition.is_required_in_entity),
            _flag(definition.is_external_id),
            _flag(definition.is_stored_externally),
            "inherited" if definition.is_inherited else "",
        )
        for name, definition in sorted(definitions.items())
    ]
    header = ("property", "type", "default", "time series", "required", "external id", "external")
    return html_table((*header, ""), rows, caption=caption)


def component_type_html(title: str, data: Any) -> str:
    """A GetComponentType answer: what it is, what it extends, its property definitions."""
    facts = [("state", getattr(data.status, "state", None))]
    facts += [("extends", ", ".join(data.extends_from or []) or None)]
    facts += [("abstract", "yes" if data.is_abstract else None)]
    facts += [("functions", ", ".join(sorted(data.functions or {})) or None)]
    facts += [("description", data.description or None)]
    head = html_table(
        ("", ""),
        [(html.escape(k), html.escape(value_text(v))) for k, v in facts if v is not None],
        caption=html.escape(title),
    )
    return head + definitions_html(data.property_definitions or {}, caption="properties")


def entity_html(title: str, data: Any) -> str:
    """A GetEntity answer: what it is, and each component's properties with their values."""
    facts = [
        ("name", data.entity_name),
        ("parent", data.parent_entity_id),
        ("state", getattr(data.status, "state", None)),
        ("description", data.description or None),
    ]
    parts = [
        html_table(
            ("", ""),
            [(html.escape(k), html.escape(value_text(v))) for k, v in facts if v is not None],
            caption=html.escape(title),
        )
    ]
    for name, component in sorted((data.components or {}).items()):
        rows = [
            (
                f"<b>{html.escape(prop_name)}</b>",
                html.escape(_type_text(prop.definition.data_type) if prop.definition else ""),
                html.escape(value_text(prop.value) if prop.value is not None else ""),
            )
            for prop_name, prop in sorted((component.properties or {}).items())
        ]
        caption = f"{html.escape(name)}: {html.escape(component.component_type_id or '')}"
        parts.append(html_table(("property", "type", "value"), rows, caption=caption))
    return "".join(parts)
