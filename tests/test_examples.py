"""Every example runs to completion on a fresh interpreter, against the embedded emulator.

Each script also takes `--aws` (see examples/_where.py); without an account here, the tests
check that the flag is understood and that it refuses to start without what AWS needs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"
# `_where.py` is the examples' shared helper, not an example.
EXAMPLES = sorted(p for p in EXAMPLES_DIR.glob("*.py") if not p.name.startswith("_"))
# The HTTP server example is about the emulator itself: it has nothing to run on AWS.
EMULATOR_ONLY = {"http_server.py"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def test_there_are_examples() -> None:
    names = {p.name for p in EXAMPLES}
    assert {"quickstart.py", "factory.py", "history_to_dataframe.py"} <= names
    assert (EXAMPLES_DIR / "notebook.ipynb").is_file()


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(example: Path, tmp_path: Path) -> None:
    plot = tmp_path / "history.png"
    arguments = {
        "history_to_dataframe.py": [str(plot)],
        # 10,000 values, not 100,000: the same code paths, in a tenth of CI's time.
        "bulk_ingest.py": ["--readings", "200"],
    }
    done = run(str(example), *arguments.get(example.name, []))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.strip()
    if example.name == "history_to_dataframe.py":  # the plot is written, in CI too
        assert f"plot saved to {plot}" in done.stdout
        assert plot.read_bytes().startswith(PNG_SIGNATURE)
        assert plot.stat().st_size > 10_000  # a real figure, not an empty canvas
    if example.name == "factory.py":
        assert "com.example.oven inherits ['feeds', 'serial', 'temperature', 'zones']" in (
            done.stdout
        )
        assert "Mixer 1 feeds Oven 1" in done.stdout
        assert "13 entities under the bakery" in done.stdout
    if example.name == "bulk_ingest.py":
        assert "read back 10,000 values, every one exact to the nanosecond" in done.stdout


@pytest.mark.parametrize(
    "example",
    [p for p in EXAMPLES if p.name not in EMULATOR_ONLY],
    ids=[p.stem for p in EXAMPLES if p.name not in EMULATOR_ONLY],
)
def test_example_takes_aws_and_refuses_without_a_role(example: Path) -> None:
    refused = run(str(example), "--aws", timeout=60)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "--aws needs --role and --s3-location (a workspace needs both on AWS)"
    )
