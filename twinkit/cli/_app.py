"""The `twinkit` command line, on click (parsing, help) and rich (trees, colour).

Every failure a user can cause (a missing directory, malformed JSON, an unknown workspace,
missing credentials) ends in one line on stderr and exit status 1; a traceback means a bug.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import boto3
import click
from botocore.config import Config
from botocore.exceptions import BotoCoreError
from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from twinkit._client import TwinMaker
from twinkit._display import EntityTree
from twinkit.cli._project import ProjectError
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
        except (TwinkitError, ProjectError, BotoCoreError) as exc:
            raise click.ClickException(str(exc).splitlines()[0]) from None

    return run


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
@click.pass_obj
@_one_line_errors
def import_(
    target: _Target,
    directory: Path,
    workspace: str,
    replacements: tuple[str, ...],
    verbose: bool,
) -> None:
    """Create the component types, entities and scenes of DIRECTORY in WORKSPACE.

    DIRECTORY is a `twinkit export` or an AWS tmdt project. Every file is checked before
    anything is created; if the service refuses a step, what was created is deleted again.
    """
    step: Callable[[str], Any] | None = (
        (lambda line: _stderr.print(f"created {line}")) if verbose else None
    )
    pairs = {}
    for pair in replacements:
        old, equals, new = pair.partition("=")
        if not equals or not old:
            raise click.BadParameter(f"{pair!r} is not OLD=NEW", param_hint="--replace")
        pairs[old] = new
    summary = import_project(
        target.client(), directory, workspace, replacements=pairs, on_step=step
    )
    _stderr.print(
        f"imported {summary.component_types} component types, {summary.entities} entities "
        f"and {summary.scenes} scenes into {workspace!r}"
    )
