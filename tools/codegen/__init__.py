"""twinkit's code generator: the vendored `iottwinmaker` service model -> typed Python modules.

`python -m tools.codegen` regenerates, `--check` verifies that the committed output is what
the vendored model generates, `--update` refreshes the vendored model from the installed
botocore (and shows what changed). Every output is formatted by the pinned `ruff`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tools.codegen.emit import (
    emit_aio_operations,
    emit_errors,
    emit_models,
    emit_operations,
    emit_tables,
)
from tools.codegen.ir import MODEL_DIR, read_service

__all__ = ["OUTPUTS", "REPO_ROOT", "generate", "ruff_format", "write"]

REPO_ROOT = Path(__file__).resolve().parents[2]

OUTPUTS = (
    "twinkit/_generated/models.py",
    "twinkit/_generated/tables.py",
    "twinkit/_generated/operations.py",
    "twinkit/_generated/errors.py",
    "twinkit/_generated/aio_operations.py",
)
"""The generated files, relative to the repository root."""


def _ruff(args: list[str], relative: str, text: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--stdin-filename", relative, "-"],
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO_ROOT,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"ruff {args[0]} failed on {relative}:\n{result.stderr}")
    return result.stdout


def ruff_format(relative: str, text: str) -> str:
    """`text` as the repository's ruff leaves the file `relative`: imports sorted, formatted."""
    sorted_imports = _ruff(["check", "--fix-only", "--exit-zero", "--select", "I"], relative, text)
    return _ruff(["format"], relative, sorted_imports)


def generate(model_dir: Path = MODEL_DIR) -> dict[str, str]:
    """Generate every output file: a mapping of relative path to formatted file text."""
    service = read_service(model_dir)
    emitters = (emit_models, emit_tables, emit_operations, emit_errors, emit_aio_operations)
    return {
        relative: ruff_format(relative, emit(service))
        for relative, emit in zip(OUTPUTS, emitters, strict=True)
    }


def write(root: Path, model_dir: Path = MODEL_DIR) -> list[Path]:
    """Write the generated files under `root` (a repository checkout or a scratch directory)."""
    written = []
    for relative, text in generate(model_dir).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
