"""The `twinkit` command: serve the emulator, show, export and import twins.

Needs the `cli` extra (`pip install 'twinkit[cli]'`), which brings click and rich.
Run `twinkit --help` for the commands; docs/cli.md has examples.
"""

from __future__ import annotations

__all__ = ["main"]


def main() -> None:
    """Run the `twinkit` command line (the console script's entry point)."""
    try:
        from twinkit.cli._app import cli
    except ImportError as exc:  # click or rich missing
        raise SystemExit(
            f"twinkit: the command line needs the 'cli' extra ({exc.name} is missing): "
            "pip install 'twinkit[cli]'"
        ) from None
    cli()
