"""`python -m tools.codegen [--check] [--root DIR]`: regenerate, or check, the typed modules."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.codegen import generate, write

REPO_ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.codegen", description=__doc__)
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="where to write")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the files under --root are not current"
    )
    args = parser.parse_args(argv)
    if not args.check:
        for path in write(args.root):
            print(f"wrote {path}")
        return 0
    stale = [
        relative
        for relative, text in generate().items()
        if not (args.root / relative).is_file()
        or (args.root / relative).read_text(encoding="utf-8") != text
    ]
    for relative in stale:
        print(f"stale: {relative} (run python -m tools.codegen)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
