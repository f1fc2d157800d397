"""Every docs code block marked runnable runs, against the embedded emulator.

A fenced code block right after an `<!-- runnable -->` line (in `docs/**/*.md`, or the README)
is run as a script in a fresh namespace: it makes its own emulator (`twinkit.local.emulator()`
or `serve()`), so no AWS account is needed. After `<!-- runnable: pytest -->` the block is a
pytest test module, run by pytest with twinkit's plugin and its fixtures (see CONTRIBUTING.md).
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import attrs
import pytest

# pytest-asyncio (the `test` extra) warns, an error under `-W error`, when a project leaves
# its fixture loop scope unset, as the scratch projects of pytester do.
ASYNCIO_OPTION = ("-o", "asyncio_default_fixture_loop_scope=function")

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"^<!-- runnable(?::\s*(?P<kind>[a-z]+))?\s*-->$")
FENCE = re.compile(r"^(?P<fence>```+|~~~+)(?P<info>.*)$")
KINDS = ("script", "pytest")


@attrs.frozen
class Block:
    """One runnable code block: where it is, how it runs, and its code."""

    path: Path
    line: int  # of the fence's opening line, 1-based
    kind: str
    code: str

    @property
    def id(self) -> str:
        return f"{shown(self.path)}:{self.line}"


def shown(path: Path) -> str:
    """`path` relative to the checkout when it is in it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def runnable_blocks(path: Path) -> list[Block]:
    """The blocks of `path` marked runnable; a marker not followed by a Python fence fails."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = []
    for number, line in enumerate(lines):
        marker = MARKER.match(line.strip())
        if marker is None:
            continue
        where = f"{shown(path)}:{number + 1}"
        kind = marker["kind"] or "script"
        assert kind in KINDS, f"{where}: unknown kind {kind!r}, expected one of {KINDS}"
        opening = FENCE.match(lines[number + 1]) if number + 1 < len(lines) else None
        assert opening is not None, f"{where}: the marker must sit right above a code fence"
        assert opening["info"].split()[:1] == ["python"], f"{where}: not a python block"
        end = next(
            (i for i in range(number + 2, len(lines)) if lines[i].strip() == opening["fence"]),
            None,
        )
        assert end is not None, f"{where}: the code block never closes"
        code = "\n".join(lines[number + 2 : end]) + "\n"
        blocks.append(Block(path, number + 2, kind, code))
    return blocks


PAGES = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
BLOCKS = [block for page in PAGES for block in runnable_blocks(page)]


def test_the_docs_have_runnable_blocks_of_each_kind() -> None:
    assert {block.kind for block in BLOCKS} == set(KINDS)
    assert len(BLOCKS) >= 8


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.kind == "script"], ids=lambda block: block.id
)
def test_runnable_script_block(block: Block) -> None:
    compiled = compile(block.code, block.id, "exec")
    namespace = {"__name__": "__docs__"}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compiled, namespace)


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.kind == "pytest"], ids=lambda block: block.id
)
def test_runnable_pytest_block(block: Block, pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_docs_block=block.code)
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "-W", "error", *ASYNCIO_OPTION, "-p", "no:xdist"
    )
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) >= 1, result.stdout.str()
    assert set(outcomes) <= {"passed"}, result.stdout.str()


@pytest.mark.parametrize(
    ("page", "problem"),
    [
        ("<!-- runnable -->\n```sh\necho hi\n```\n", "not a python block"),
        ("<!-- runnable -->\n\n```python\npass\n```\n", "right above a code fence"),
        ("<!-- runnable -->\n```python\npass\n", "never closes"),
        ("<!-- runnable: doctest -->\n```python\npass\n```\n", "unknown kind"),
    ],
)
def test_a_bad_marker_is_refused(tmp_path: Path, page: str, problem: str) -> None:
    path = tmp_path / "page.md"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(AssertionError, match=problem):
        runnable_blocks(path)


def test_a_marked_block_is_found_with_its_kind(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(
        'text\n<!-- runnable: pytest -->\n```python title="t.py"\ndef test(): pass\n```\n',
        encoding="utf-8",
    )
    assert runnable_blocks(path) == [Block(path, 3, "pytest", "def test(): pass\n")]
