"""Imports inside `twinkit/` flow one way: no cycle, and no module imports a layer above its own.

The graph is read from the source with `ast`: every `import` and `from ... import`, at module
level and inside functions (a function-level import is a dependency all the same; it only
runs later). Imports under `if TYPE_CHECKING:` are left out: they are never executed, and
annotations may name a module above (a resource handle names the `TwinMaker` that hands it
out). `from package import name` counts as importing `package.name` when that is a module,
else `package`. Importing `a.b.c` from outside `a.b` also runs `a/b/__init__.py`, so it
counts as importing `a.b` too (the root `twinkit` aside: Python runs it before any of its
modules, and it is the top layer).

`LAYERS` lists every module of the SDK, lowest first; a module may import its own layer and
the layers below. The emulator (`twinkit.local`) stands beside the SDK: it may import its own
modules, the public SDK modules (no `_` in the name) and the private ones it explicitly
shares with the SDK (`SHARED_WITH_EMULATOR`).

A module that is in no layer fails the test, on purpose: a new module is placed in the table
by whoever adds it, who so decides what it may import, instead of the test accepting it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "twinkit"
EMULATOR = "twinkit.local"

LAYERS: tuple[tuple[str, ...], ...] = (
    # Definitions that depend on nothing else in twinkit.
    (
        "twinkit._version",
        "twinkit._errorbase",
        "twinkit._schema",
        "twinkit._service",
        "twinkit._callmarks",
    ),
    # Notebook views: plain functions over attrs instances, called by models, pagers, handles.
    ("twinkit._display",),
    # The service model as data, and the error classes generated from it.
    ("twinkit._generated", "twinkit._generated.tables", "twinkit._generated.errors"),
    # A yes/no validity check generated from the tables, which lets the walker skip valid data.
    ("twinkit._fastcheck",),
    ("twinkit.errors",),
    # Nanosecond-exact time strings: shared by values, the data plane and the emulator.
    ("twinkit.times",),
    # What the generated models are built from, and the one walker that checks wire data.
    ("twinkit._modelbase", "twinkit._validate"),
    ("twinkit._generated.models",),
    ("twinkit.models",),
    # The converter; it installs the models' construction check (`install_request_check`).
    ("twinkit.wire._hooks", "twinkit.wire"),
    ("twinkit.values",),
    # Below the client because the generated paginators (part of the client) build Pagers.
    ("twinkit.paging", "twinkit.waiting"),
    # The async layer sits above its sync counterpart: twinkit.aio imports sync modules, never
    # the reverse. (`AsyncPager` is defined in twinkit.paging; this module is its public home.)
    ("twinkit.aio.paging",),
    # Async waits: the sync poller's decisions (PollerBase), awaited.
    ("twinkit.aio.waiting",),
    ("twinkit.builders",),
    # The time-series data plane: history readers (and batch writers), under the handles.
    ("twinkit.dataplane._columns", "twinkit.dataplane._frames", "twinkit.dataplane._inputs"),
    ("twinkit.dataplane._history", "twinkit.dataplane._batch"),
    # Picklable units of reading and writing, for engines in other processes.
    ("twinkit.dataplane._shards",),
    ("twinkit.dataplane",),
    # The async data plane: the engine's I/O-free parts above, driven by asyncio; beside the
    # sync data plane and under the async handles that delegate to it.
    ("twinkit.aio.dataplane._batch", "twinkit.aio.dataplane._history"),
    ("twinkit.aio.dataplane",),
    # Typed knowledge-graph rows; resources build their query helpers on it.
    ("twinkit.query",),
    # Its async twin: the same row decoding, paged by an AsyncPager.
    ("twinkit.aio.query",),
    # Handles hold a client but import it for annotations only; the client hands them out.
    (
        "twinkit.resources._logic",
        "twinkit.resources._base",
        "twinkit.resources.scenes",
        "twinkit.resources.jobs",
        "twinkit.resources.entities",
        "twinkit.resources.component_types",
        "twinkit.resources.workspaces",
        "twinkit.resources",
    ),
    # Async handles: the sync handles' shared logic plus awaited calls; the async client
    # hands them out (importing them lazily), so they sit below it.
    (
        "twinkit.aio.resources._base",
        "twinkit.aio.resources.scenes",
        "twinkit.aio.resources.jobs",
        "twinkit.aio.resources.entities",
        "twinkit.aio.resources.component_types",
        "twinkit.aio.resources.workspaces",
        "twinkit.aio.resources",
    ),
    ("twinkit._generated.operations", "twinkit._generated.aio_operations"),
    ("twinkit._client",),
    # The async client shares the sync client's helpers (config, decode, error mapping).
    ("twinkit.aio._client",),
    ("twinkit.aio",),
    ("twinkit",),
    # The optional Dask adapter (`twinkit[dask]`): builds clients, so above the client.
    ("twinkit.dask",),
    # The command line: over the whole SDK, never imported by it.
    (
        "twinkit.cli._project",
        "twinkit.cli._transfer",
        "twinkit.cli._history",
        "twinkit.cli._query",
        "twinkit.cli._app",
    ),
    ("twinkit.cli", "twinkit.cli.__main__"),
)
"""Every SDK module, lowest layer first."""

SHARED_WITH_EMULATOR = frozenset(
    {
        "twinkit._service",
        "twinkit._schema",
        "twinkit._modelbase",
        "twinkit._generated",
        "twinkit._generated.tables",
    }
)
"""Private SDK modules the emulator may import: service definitions both sides share."""


TOLERATED_EDGES = frozenset(
    {
        # `twinkit.local.Emulator` is defined in the package's `__init__`, which imports the
        # HTTP server only when asked (werkzeug is optional); the server imports `Emulator`
        # back. One emulator class in a module of its own (issue 10, item 4) removes it.
        ("twinkit.local", "twinkit.local._server"),
        # Updating or deleting a component type asks the entities backend (inside functions)
        # which entities use it; the entities backend imports the type resolver at the top.
        ("twinkit.local._backends.component_types", "twinkit.local._backends.entities"),
    }
    | {
        ("twinkit.local._backends", f"twinkit.local._backends.{backend}")
        for backend in (
            "component_types",
            "entities",
            "jobs",
            "pricing",
            "query",
            "scenes",
            "tags",
            "values",
            "workspaces",
        )
    }
)
"""Edges of the emulator left out of the cycle check, each listed. Besides the two above,
`_backends.load_all()` imports every backend so that it registers its operations with
`handles`, which the backends import from the package (the fix: the registry in a module of
its own). Both belong to the emulator work; `test_every_tolerated_edge_still_exists` makes
this list shrink as they land. Never add an SDK edge here."""


def module_files(package_dir: Path) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its `__init__.py`)."""
    modules = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.body:
                skipped.update(id(inner) for inner in ast.walk(statement))
    return skipped


def _imported_names(name: str, path: Path, tree: ast.AST) -> Iterator[tuple[str, str | None]]:
    """(module, name imported from it or None) for every executed import in `tree`."""
    skipped = _type_checking_nodes(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = name.split(".")
                if path.name != "__init__.py":
                    package.pop()
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            for alias in node.names:
                yield base, alias.name


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    """Each module of the package -> the modules of the package its execution imports."""
    modules = module_files(package_dir)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        targets: set[str] = set()
        for base, imported in _imported_names(name, path, tree):
            submodule = f"{base}.{imported}" if imported else None
            target = submodule if submodule in modules else base
            if target not in modules:
                continue
            targets.add(target)
            parts = target.split(".")
            for end in range(2, len(parts)):
                parent = ".".join(parts[:end])
                if not name.startswith(parent + ".") and name != parent:
                    targets.add(parent)
        targets.discard(name)
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def layer_of() -> dict[str, int]:
    return {module: level for level, layer in enumerate(LAYERS) for module in layer}


def is_emulator(module: str) -> bool:
    return module == EMULATOR or module.startswith(EMULATOR + ".")


def is_public(module: str) -> bool:
    return not any(part.startswith("_") for part in module.split("."))


GRAPH = import_graph(PACKAGE_DIR)


def test_the_reader_sees_every_executed_import(tmp_path: Path) -> None:
    # Guards the reader itself: a graph that missed imports would pass every check below.
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "low.py": "",
        "mid.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import high\n",
        "high.py": "def late():\n    from . import mid\n    import pkg.sub.deep\n",
        "sub/__init__.py": "from pkg.sub import deep\n",
        "sub/deep.py": "from ..low import something\n",
    }
    for relative, text in files.items():
        (package / relative).write_text(text, encoding="utf-8")

    graph = import_graph(package)

    assert graph["pkg.high"] == {"pkg.mid", "pkg.sub.deep", "pkg.sub"}
    assert graph["pkg.mid"] == set()  # TYPE_CHECKING only
    assert graph["pkg.sub"] == {"pkg.sub.deep"}
    assert graph["pkg.sub.deep"] == {"pkg.low"}
    assert find_cycle(graph) is None
    graph["pkg.low"].add("pkg.high")
    assert find_cycle(graph) == ["pkg.high", "pkg.sub", "pkg.sub.deep", "pkg.low", "pkg.high"]


def test_the_import_graph_has_no_cycle() -> None:
    graph = {
        module: {target for target in targets if (module, target) not in TOLERATED_EDGES}
        for module, targets in GRAPH.items()
    }
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_every_tolerated_edge_still_exists() -> None:
    gone = sorted(edge for edge in TOLERATED_EDGES if edge[1] not in GRAPH.get(edge[0], set()))
    assert not gone, f"no longer imported: remove them from TOLERATED_EDGES: {gone}"


def test_every_sdk_module_has_a_layer() -> None:
    listed = layer_of()
    assert len(listed) == sum(len(layer) for layer in LAYERS), "a module is listed twice"
    sdk = {module for module in GRAPH if not is_emulator(module)}
    missing = sorted(sdk - set(listed))
    assert not missing, f"place these modules in LAYERS (tests/test_architecture.py): {missing}"
    gone = sorted(set(listed) - sdk)
    assert not gone, f"LAYERS lists modules that do not exist: {gone}"


def test_no_sdk_module_imports_a_layer_above_its_own() -> None:
    levels = layer_of()
    upward = [
        f"{module} (layer {levels[module]}) imports {target} (layer {levels[target]})"
        for module, targets in sorted(GRAPH.items())
        if module in levels
        for target in sorted(targets)
        if target in levels and levels[target] > levels[module]
    ]
    assert not upward, "\n".join(upward)


FRONT_ENDS = ("twinkit.cli",)
"""Packages over both the SDK and the emulator (`twinkit local` serves it); nothing imports them."""


def test_the_sdk_does_not_import_the_emulator() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, targets in sorted(GRAPH.items())
        if not is_emulator(module) and not module.startswith(FRONT_ENDS)
        for target in sorted(targets)
        if is_emulator(target)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_emulator_imports_only_public_or_shared_sdk_modules() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, targets in sorted(GRAPH.items())
        if is_emulator(module)
        for target in sorted(targets)
        if not is_emulator(target) and not is_public(target) and target not in SHARED_WITH_EMULATOR
    ]
    assert not wrong, "\n".join(wrong)
