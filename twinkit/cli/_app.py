"""The `twinkit` command line, on click (parsing, help) and rich (trees, colour).

Every failure a user can cause (a missing directory, malformed JSON, an unknown workspace,
missing credentials) ends in one line on stderr and exit status 1; a traceback means a bug.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import boto3
import click
from botocore.config import Config
from botocore.exceptions import BotoCoreError
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.tree import Tree

from twinkit._client import TwinMaker
from twinkit._display import EntityTree
from twinkit.cli._history import read_history, write_history
from twinkit.cli._project import ProjectError
from twinkit.cli._query import FORMATS, run_query, write_rows
from twinkit.cli._transfer import export_workspace, import_project
from twinkit.errors import ResourceNotFoundError, TwinkitError

__all__ = ["cli"]

P = ParamSpec("P")
R = TypeVar("R")

_stderr = Console(stderr=True, highlight=False)


class _Target:
    """Where the commands send their calls: AWS (profile, region) or another endpoint."""

    def __init__(self, profile: str | None, region: str | None, endpoint_url: str | None) -> None:
        self.profile = profile
        self.region = region
        self.endpoint_url = endpoint_url

    def client(self) -> TwinMaker:
        session = boto3.session.Session(profile_name=self.profile, region_name=self.region)
        config = None
        if self.endpoint_url:
            # A local endpoint (`twinkit local`) has no `api.`/`data.` host names to prefix.
            config = Config(inject_host_prefix=False)
        return TwinMaker(session=session, endpoint_url=self.endpoint_url, config=config)


def _one_line_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the errors a user can cause into one line on stderr and exit status 1."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ResourceNotFoundError as exc:
            raise click.ClickException(exc.message or str(exc)) from None
        except (TwinkitError, ProjectError, BotoCoreError, ImportError, OSError) as exc:
            # ImportError: an optional package is missing (the message names the extra);
            # OSError: a file cannot be written (no space, no permission), named by the OS.
            raise click.ClickException(str(exc).splitlines()[0]) from None

    return run


_progress_option = click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar on stderr (default: when stderr is a terminal).",
)


class _ImportProgress:
    """What `twinkit import` shows as it creates: a rich bar, a line per resource, or nothing.

    Both go to stderr, so stdout stays empty; the bar is made only once every file has been
    checked and the import knows how many resources it will create.
    """

    def __init__(self, bar: bool, verbose: bool) -> None:
        self._want_bar = bar
        self._verbose = verbose
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> _ImportProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def plan(self, total: int) -> None:
        if not self._want_bar:
            return
        self._bar = Progress(
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=_stderr,
            transient=False,
        )
        self._task = self._bar.add_task("import", total=total)
        self._bar.start()

    def step(self, line: str) -> None:
        if self._verbose:
            (self._bar.console if self._bar is not None else _stderr).print(f"created {line}")
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--profile", envvar="AWS_PROFILE", help="The AWS profile (boto3's default chain).")
@click.option("--region", envvar="AWS_REGION", help="The AWS region.")
@click.option(
    "--endpoint-url",
    envvar="TWINKIT_ENDPOINT_URL",
    help="Another endpoint, e.g. http://127.0.0.1:4566 for `twinkit local`.",
)
@click.version_option(package_name="twinkit")
@click.pass_context
def cli(
    ctx: click.Context, profile: str | None, region: str | None, endpoint_url: str | None
) -> None:
    """twinkit: AWS IoT TwinMaker from the command line, or a local emulator of it."""
    ctx.obj = _Target(profile, region, endpoint_url)


@cli.command(
    "local",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def local(args: tuple[str, ...]) -> None:
    """Serve the TwinMaker emulator over HTTP (`twinkit local --help` for its options)."""
    from twinkit.local.__main__ import main as serve

    sys.exit(serve(list(args)))


@cli.command("tree")
@click.argument("workspace")
@click.option("--max-depth", type=click.IntRange(min=1), help="Show this many levels at most.")
@click.pass_obj
@_one_line_errors
def tree(target: _Target, workspace: str, max_depth: int | None) -> None:
    """Show a workspace's entities as a tree (one ListEntities walk, no per-entity calls)."""
    tm = target.client()
    tm.get_workspace(workspace_id=workspace)
    entities = tm.workspaces(workspace).entities.tree(max_depth=max_depth)
    root = Tree(f"[bold]{escape(workspace)}[/bold]", guide_style="dim")

    def add(node: Tree, tree: EntityTree) -> None:
        for child in tree.children:
            label = escape(child.name)
            if child.name != child.entity_id:
                label += f" [dim]({escape(child.entity_id)})[/dim]"
            add(node.add(label), child)
        if tree.truncated:
            node.add("[dim]…[/dim]")

    add(root, entities)
    Console(highlight=False).print(root)


@cli.command("export")
@click.argument("workspace")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
@_one_line_errors
def export(target: _Target, workspace: str, directory: Path) -> None:
    """Write a workspace's component types, entities and scenes to DIRECTORY as JSON."""
    summary = export_workspace(target.client(), workspace, directory)
    _stderr.print(
        f"exported {summary.component_types} component types, {summary.entities} entities "
        f"and {summary.scenes} scenes from {workspace!r} to {directory}"
    )


@cli.command("import")
@click.argument("directory", type=click.Path(path_type=Path))
@click.argument("workspace")
@click.option(
    "--replace",
    "replacements",
    multiple=True,
    metavar="OLD=NEW",
    help="Replace text in every file first (AWS samples' __TO_FILL_IN_..._ARN__ placeholders).",
)
@click.option("-v", "--verbose", is_flag=True, help="Print each resource as it is created.")
@_progress_option
@click.pass_obj
@_one_line_errors
def import_(
    target: _Target,
    directory: Path,
    workspace: str,
    replacements: tuple[str, ...],
    verbose: bool,
    progress: bool | None,
) -> None:
    """Create the component types, entities and scenes of DIRECTORY in WORKSPACE.

    DIRECTORY is a `twinkit export` or an AWS tmdt project. Every file is checked before
    anything is created; if the service refuses a step, what was created is deleted again.
    """
    pairs = {}
    for pair in replacements:
        old, equals, new = pair.partition("=")
        if not equals or not old:
            raise click.BadParameter(f"{pair!r} is not OLD=NEW", param_hint="--replace")
        pairs[old] = new
    show_bar = (_stderr.is_terminal and not verbose) if progress is None else progress
    with _ImportProgress(show_bar, verbose) as shown:
        summary = import_project(
            target.client(),
            directory,
            workspace,
            replacements=pairs,
            on_step=shown.step,
            on_plan=shown.plan,
        )
    _stderr.print(
        f"imported {summary.component_types} component types, {summary.entities} entities "
        f"and {summary.scenes} scenes into {workspace!r}"
    )


@cli.command("history")
@click.argument("workspace")
@click.argument("entity")
@click.argument("component")
@click.argument("properties", nargs=-1)
@click.option("--start", required=True, help="The earliest time, inclusive (ISO-8601).")
@click.option("--end", required=True, help="The latest time, inclusive (ISO-8601).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write FILE.csv or FILE.parquet (twinkit[arrow]) instead of CSV to stdout.",
)
@click.option(
    "--order",
    type=click.Choice(["ascending", "descending"], case_sensitive=False),
    default="ascending",
    show_default=True,
    help="Oldest or newest value first.",
)
@_progress_option
@click.pass_obj
@_one_line_errors
def history(
    target: _Target,
    workspace: str,
    entity: str,
    component: str,
    properties: tuple[str, ...],
    start: str,
    end: str,
    out: Path | None,
    order: str,
    progress: bool | None,
) -> None:
    """Write a component's history as CSV or Parquet, a row per value.

    Reads PROPERTIES (every time-series one when none are named) of ENTITY's COMPONENT; the
    columns are entity_id, component, property, time, value.

    Times: 2026-01-02T03:04:05.123456789Z, other ISO-8601 forms (2026-01-02, UTC when no
    offset is given), `now`, or int nanoseconds since 1970. CSV keeps every nanosecond in
    the time column; Parquet stores timestamp[ns, UTC].
    """
    found = read_history(
        target.client(),
        workspace,
        entity,
        component,
        properties,
        start=start,
        end=end,
        order=order.upper(),
    )
    written = write_history(found, out, sys.stdout, progress=progress)
    if out is not None:
        _stderr.print(f"wrote {written} values to {out}")


@cli.command("query")
@click.argument("workspace")
@click.argument("statement")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS, case_sensitive=False),
    default="table",
    show_default=True,
    help="A table, a JSON array of row objects, or CSV.",
)
@click.option("--max-rows", type=click.IntRange(min=1), help="Stop after this many rows.")
@click.pass_obj
@_one_line_errors
def query(target: _Target, workspace: str, statement: str, fmt: str, max_rows: int | None) -> None:
    """Run a knowledge-graph query and print its rows.

    STATEMENT is PartiQL over EntityGraph: SELECT e FROM EntityGraph MATCH (e).

    Nodes show as their entity's name and id, edges as their relationship's name, values as
    text; `--format json` keeps every node's components and property values.
    """
    columns, rows = run_query(target.client(), workspace, statement, max_rows=max_rows)
    write_rows(columns, rows, fmt.lower(), sys.stdout)
