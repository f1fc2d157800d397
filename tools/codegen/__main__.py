"""`python -m tools.codegen [--check | --update] [--root DIR]`: regenerate the typed modules.

- no option: regenerate the modules from the vendored model (`tools/codegen/model/`);
- `--check`: exit 1, naming each file, if the files under `--root` are not what the vendored
  model generates;
- `--update`: copy the installed botocore's `iottwinmaker` model over the vendored one, print
  the difference, then regenerate.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from tools.codegen import REPO_ROOT, generate, write
from tools.codegen.ir import MODEL_DIR, MODEL_FILE, SERVICE, VERSION_FILE


def model_text(data: object) -> str:
    """The vendored model's layout: indented JSON, so that `--update` diffs read well."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def update(model_dir: Path) -> list[str]:
    """Refresh the vendored model from the installed botocore; the unified diff of the change."""
    import botocore
    import botocore.loaders

    fresh = model_text(botocore.loaders.Loader().load_service_model(SERVICE, "service-2"))
    model_path = model_dir / MODEL_FILE
    version_path = model_dir / VERSION_FILE
    old_model = model_path.read_text(encoding="utf-8") if model_path.is_file() else ""
    old_version = version_path.read_text(encoding="utf-8") if version_path.is_file() else ""
    new_version = f"{botocore.__version__}\n"
    diff = [
        *difflib.unified_diff(
            old_version.splitlines(keepends=True),
            new_version.splitlines(keepends=True),
            f"a/{VERSION_FILE}",
            f"b/{VERSION_FILE}",
        ),
        *difflib.unified_diff(
            old_model.splitlines(keepends=True),
            fresh.splitlines(keepends=True),
            f"a/{MODEL_FILE}",
            f"b/{MODEL_FILE}",
        ),
    ]
    model_dir.mkdir(parents=True, exist_ok=True)
    model_path.write_text(fresh, encoding="utf-8")
    version_path.write_text(new_version, encoding="utf-8")
    return diff


def main(argv: list[str] | None = None) -> int:
    """Run the generator's command line; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m tools.codegen", description=__doc__)
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="where to write")
    parser.add_argument("--model", type=Path, default=MODEL_DIR, help="the vendored model")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check", action="store_true", help="exit 1 if the files under --root are not current"
    )
    mode.add_argument(
        "--update",
        action="store_true",
        help="refresh the vendored model from the installed botocore, show the diff, regenerate",
    )
    args = parser.parse_args(argv)
    if args.update:
        diff = update(args.model)
        sys.stdout.writelines(diff)
        if not diff:
            print("the vendored model already matches the installed botocore")
    if not args.check:
        for path in write(args.root, args.model):
            print(f"wrote {path}")
        return 0
    stale = [
        relative
        for relative, text in generate(args.model).items()
        if not (args.root / relative).is_file()
        or (args.root / relative).read_text(encoding="utf-8") != text
    ]
    for relative in stale:
        print(f"stale: {relative} (run python -m tools.codegen)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
