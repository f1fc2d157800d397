"""twinkit's code generator: botocore's `iottwinmaker` service model -> typed Python modules.

Run `python -m tools.codegen` to regenerate, `python -m tools.codegen --check` to verify that
the committed output matches what the installed botocore generates.
"""

from __future__ import annotations

from pathlib import Path

from tools.codegen.emit import emit_models, emit_operations, emit_tables
from tools.codegen.ir import read_service

__all__ = ["OUTPUTS", "generate"]

OUTPUTS = (
    "twinkit/models/_generated.py",
    "twinkit/wire/_tables.py",
    "twinkit/_generated_operations.py",
)
"""The generated files, relative to the repository root."""


def generate() -> dict[str, str]:
    """Generate every output file: a mapping of relative path to file text."""
    service = read_service()
    return {
        OUTPUTS[0]: emit_models(service),
        OUTPUTS[1]: emit_tables(service),
        OUTPUTS[2]: emit_operations(service),
    }


def write(root: Path) -> list[Path]:
    """Write the generated files under `root` (a repository checkout or a scratch directory)."""
    written = []
    for relative, text in generate().items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
