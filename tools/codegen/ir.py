"""Read the vendored `iottwinmaker` service model into a small typed IR.

The model is a copy of botocore's `service-2.json` kept in `tools/codegen/model/` with the
botocore version it came from, so that the output depends on the repository only, never on
the botocore installed (`python -m tools.codegen --update` refreshes the copy).

Everything the emitters need is decided here, once: Python names, annotations, which
structures are unions or operation inputs, and the Python form of each pattern. Spec quirks
are handled in `customizations()`, never by editing generated output.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from botocore import xform_name
from botocore.model import ServiceModel

SERVICE = "iottwinmaker"

MODEL_DIR = Path(__file__).resolve().parent / "model"
"""The vendored service model: `service-2.json` and the `botocore-version` it came from."""
MODEL_FILE = "service-2.json"
VERSION_FILE = "botocore-version"

UNKNOWN_MEMBER_ATTR = "unknown_member"
"""The extra field every union model carries for a member newer than the model."""
UNKNOWN_MEMBER_WIRE = "SDK_UNKNOWN_MEMBER"
"""botocore's key for a union member its model does not know: `twinkit._service`'s
`SDK_UNKNOWN_MEMBER`, spelt out because the generator never imports twinkit (a broken output
must not stop it from running; tests/test_codegen.py checks that the two agree)."""


@dataclass(frozen=True)
class MemberIR:
    attr: str
    wire: str
    target: str
    required: bool
    doc: str
    location: str | None
    location_name: str | None


@dataclass
class ShapeIR:
    name: str
    kind: str  # structure, string, integer, long, double, boolean, timestamp, list, map, document
    doc: str = ""
    members: list[MemberIR] = field(default_factory=list)
    union: bool = False
    request: bool = False
    error_code: str | None = None
    http_status: int | None = None
    retryable: bool = False  # an error shape the model marks retryable, or a 429/5xx
    enum: tuple[str, ...] | None = None
    min: int | float | None = None
    max: int | float | None = None
    java_pattern: str | None = None
    pattern: str | None = None
    member: str | None = None  # list member shape
    key: str | None = None  # map key shape
    value: str | None = None  # map value shape


@dataclass(frozen=True)
class PagingIR:
    input_token: str
    output_token: str
    limit: str | None
    result: str


@dataclass(frozen=True)
class OperationIR:
    name: str
    http_method: str
    request_uri: str
    success_code: int
    host_prefix: str | None
    input: str | None
    output: str | None
    errors: tuple[str, ...]
    method: str = ""
    doc: str = ""
    paging: PagingIR | None = None


@dataclass
class ServiceIR:
    botocore_version: str
    api_version: str
    shapes: dict[str, ShapeIR]
    operations: dict[str, OperationIR]

    def structures(self) -> list[ShapeIR]:
        return [s for s in self.shapes.values() if s.kind == "structure"]

    def enums(self) -> list[ShapeIR]:
        return [s for s in self.shapes.values() if s.kind == "string" and s.enum]


class _TextExtractor(HTMLParser):
    """Flattens AWS's HTML documentation to text, keeping `<code>` as backticks."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "code":
            self.parts.append("`")
        elif tag in ("p", "li", "br"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self.parts.append("`")
        elif tag in ("p", "li"):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`])")


def doc_text(html: str, *, max_sentences: int = 2, max_chars: int = 400) -> str:
    """HTML documentation as plain text, cut to its first sentences."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    text = " ".join("".join(parser.parts).split())
    text = text.replace("``", "")
    sentences = _SENTENCE_END.split(text)
    short = " ".join(sentences[:max_sentences]).strip()
    if len(short) > max_chars:
        short = short[: max_chars - 3].rsplit(" ", 1)[0] + "..."
    return short


def python_name(wire: str) -> str:
    """boto3's own rule for a member's snake_case name, with `_` after a keyword."""
    name: str = xform_name(wire)
    return name + "_" if keyword.iskeyword(name) else name


_UNICODE_CLASS = re.compile(r"\[((?:\\p\{[A-Z]\})+)([^\]]*)\]")


def python_pattern(java: str) -> str:
    """Translate a Java regular expression from the model into Python's `re` dialect.

    Python's `re` has no `\\p{..}` categories. The model uses them only for tags, as
    `[\\p{L}\\p{Z}\\p{N}...]`: letters and numbers are `[^\\W_]` in Python, separators are
    whitespace that is not a control character. Any other Java-only construct fails here,
    loudly, so that a new one gets a translation instead of a wrong check.
    """

    def replace(match: re.Match[str]) -> str:
        categories = set(re.findall(r"\\p\{([A-Z])\}", match.group(1)))
        options = []
        if categories - {"L", "N", "Z"}:
            raise ValueError(f"no Python translation for categories {categories} in {java!r}")
        if categories & {"L", "N"}:
            if categories & {"L", "N"} != {"L", "N"}:
                raise ValueError(f"no Python translation for {java!r}")
            options.append(r"[^\W_]")
        if "Z" in categories:
            options.append(r"(?![\t\n\x0b\x0c\r\x1c-\x1f\x85])\s")
        if match.group(2):
            options.append(f"[{match.group(2)}]")
        return "(?:" + "|".join(options) + ")"

    translated = _UNICODE_CLASS.sub(replace, java)
    if "\\p{" in translated:
        raise ValueError(f"no Python translation for {java!r}")
    re.compile(translated)
    return translated


PAGED_RESULT = {"ExecuteQuery": "rows", "GetPropertyValue": "tabularPropertyValues"}
"""The member that holds a page's items, where an output has more than one collection."""


def _paging(op: Any) -> PagingIR | None:
    """How an operation pages: botocore ships no paginators for this service, so it is
    derived from the shapes: a `nextToken` in and out, and the output's one collection."""
    if op.input_shape is None or op.output_shape is None:
        return None
    if "nextToken" not in op.input_shape.members or "nextToken" not in op.output_shape.members:
        return None
    collections = [
        name
        for name, shape in op.output_shape.members.items()
        if name != "nextToken" and shape.type_name in ("list", "map")
    ]
    result = PAGED_RESULT.get(op.name) or (collections[0] if len(collections) == 1 else None)
    if result is None:
        raise ValueError(f"{op.name}: which of {collections} holds the page's items?")
    limit = "maxResults" if "maxResults" in op.input_shape.members else None
    return PagingIR("nextToken", "nextToken", limit, result)


@dataclass(frozen=True)
class ErrorNaming:
    """How twinkit names and files an error shape's exception class."""

    name: str
    summary: str
    also: str | None = None
    """A built-in exception the class also derives from, so `except LookupError` works."""
    retryable: bool | None = None
    """Overrides what the model says (None: retryable when the model marks it so, or 429/5xx)."""


ERROR_NAMING = {
    "AccessDeniedException": ErrorNaming(
        "AccessDeniedError", "The caller may not do this.", also="PermissionError"
    ),
    "ConflictException": ErrorNaming(
        "ConflictError", "The request conflicts with the resource's current state."
    ),
    "ConnectorFailureException": ErrorNaming(
        "ConnectorFailureError", "A data connector (a Lambda function) failed."
    ),
    # A connector that timed out may answer the same request next time; the model says nothing.
    "ConnectorTimeoutException": ErrorNaming(
        "ConnectorTimeoutError", "A data connector timed out.", retryable=True
    ),
    "InternalServerException": ErrorNaming(
        "InternalServerError", "The service failed; retry later."
    ),
    "QueryTimeoutException": ErrorNaming("QueryTimeoutError", "A knowledge-graph query timed out."),
    "ResourceNotFoundException": ErrorNaming(
        "ResourceNotFoundError", "The resource does not exist.", also="LookupError"
    ),
    "ServiceQuotaExceededException": ErrorNaming(
        "ServiceQuotaExceededError", "A service quota would be exceeded."
    ),
    "ThrottlingException": ErrorNaming(
        "ThrottlingError", "Too many requests; slow down and retry."
    ),
    "TooManyTagsException": ErrorNaming(
        "TooManyTagsError", "The resource would have too many tags."
    ),
    # `ValidationError` is twinkit's own check before sending; the service's is distinct.
    "ValidationException": ErrorNaming(
        "ServiceValidationError", "The service refused the request as invalid."
    ),
}
"""twinkit's names and wording for the model's error shapes (the model's own documentation
is terse: `ValidationException` says "Failed"). A code missing here still gets a class:
`FooException` becomes `FooError`, documented with the model's text."""


def error_naming(shape: ShapeIR) -> ErrorNaming:
    """The class for an error shape: from `ERROR_NAMING`, else derived from the shape."""
    assert shape.error_code is not None
    known = ERROR_NAMING.get(shape.name)
    if known is None:
        stem = shape.name.removesuffix("Exception")
        known = ErrorNaming(f"{stem}Error", shape.doc or f"The service answered `{shape.name}`.")
    if known.retryable is None:
        known = ErrorNaming(known.name, known.summary, known.also, shape.retryable)
    return known


def customizations(service: ServiceIR) -> None:
    """Every place where twinkit deliberately departs from the raw service model.

    - `DataValue` is a plain structure in the model, but the API accepts exactly one of its
      members (the documentation and the service both say so): it is modelled as a union.
    """
    service.shapes["DataValue"].union = True


def _constraint(value: Any) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def read_model(model_dir: Path = MODEL_DIR) -> tuple[dict[str, Any], str]:
    """The vendored model's JSON and the botocore version it was copied from."""
    data: dict[str, Any] = json.loads((model_dir / MODEL_FILE).read_text(encoding="utf-8"))
    version = (model_dir / VERSION_FILE).read_text(encoding="utf-8").strip()
    return data, version


def read_service(model_dir: Path = MODEL_DIR) -> ServiceIR:
    """Read the vendored `iottwinmaker` model into the IR."""
    data, botocore_version = read_model(model_dir)
    model = ServiceModel(data, service_name=SERVICE)
    shapes: dict[str, ShapeIR] = {}
    for name in sorted(model.shape_names):
        shape = model.shape_for(name)
        meta = shape.metadata
        kind = shape.type_name
        ir = ShapeIR(name=name, kind=kind, doc=doc_text(shape.documentation))
        if kind == "structure":
            if meta.get("document"):
                ir.kind = "document"
            ir.union = bool(meta.get("union"))
            if meta.get("exception"):
                ir.error_code = name
                ir.http_status = int(meta.get("error", {}).get("httpStatusCode", 400))
                raw = data["shapes"][name]
                ir.retryable = "retryable" in raw or ir.http_status == 429 or ir.http_status >= 500
            required = set(shape.required_members)
            for wire, target in shape.members.items():
                ir.members.append(
                    MemberIR(
                        attr=python_name(wire),
                        wire=wire,
                        target=target.name,
                        required=wire in required,
                        doc=doc_text(_member_doc(data, name, wire) or target.documentation),
                        location=target.serialization.get("location"),
                        location_name=target.serialization.get("name"),
                    )
                )
        elif kind == "string":
            ir.enum = tuple(shape.enum) if shape.enum else None
            ir.min = _constraint(meta.get("min"))
            ir.max = _constraint(meta.get("max"))
            if meta.get("pattern") is not None:
                ir.java_pattern = meta["pattern"]
                ir.pattern = python_pattern(meta["pattern"])
        elif kind in ("integer", "long", "double"):
            ir.min = _constraint(meta.get("min"))
            ir.max = _constraint(meta.get("max"))
        elif kind == "list":
            ir.member = shape.member.name
            ir.min = _constraint(meta.get("min"))
            ir.max = _constraint(meta.get("max"))
        elif kind == "map":
            ir.key = shape.key.name
            ir.value = shape.value.name
            ir.min = _constraint(meta.get("min"))
            ir.max = _constraint(meta.get("max"))
        elif kind not in ("boolean", "timestamp"):
            raise ValueError(f"shape {name} has a type the generator does not know: {kind}")
        shapes[name] = ir

    operations: dict[str, OperationIR] = {}
    for op_name in sorted(model.operation_names):
        op = model.operation_model(op_name)
        summary = doc_text(op.documentation, max_sentences=1)
        if op.input_shape is not None:
            shapes[op.input_shape.name].request = True
            if not shapes[op.input_shape.name].doc:
                shapes[op.input_shape.name].doc = f"The input of `{op_name}`: {summary}"
        if op.output_shape is not None and not shapes[op.output_shape.name].doc:
            shapes[op.output_shape.name].doc = f"The output of `{op_name}`."
        operations[op_name] = OperationIR(
            method=xform_name(op_name),
            doc=doc_text(op.documentation, max_sentences=2),
            paging=_paging(op),
            name=op_name,
            http_method=op.http["method"],
            request_uri=op.http["requestUri"],
            success_code=int(op.http.get("responseCode", 200)),
            host_prefix=(op.endpoint or {}).get("hostPrefix"),
            input=op.input_shape.name if op.input_shape is not None else None,
            output=op.output_shape.name if op.output_shape is not None else None,
            errors=tuple(sorted(e.name for e in op.error_shapes)),
        )
    service = ServiceIR(
        botocore_version=botocore_version,
        api_version=model.api_version,
        shapes=shapes,
        operations=operations,
    )
    customizations(service)
    return service


def _member_doc(data: dict[str, Any], shape: str, wire: str) -> str:
    """A member's own documentation, which the model keeps on the member reference."""
    doc: str = data["shapes"][shape]["members"][wire].get("documentation", "")
    return doc
