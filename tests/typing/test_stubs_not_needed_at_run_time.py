"""The boto3 stubs type twinkit's boto3 boundary for mypy only: twinkit runs without them."""

from __future__ import annotations

import subprocess
import sys
import textwrap

_WITHOUT_STUBS = textwrap.dedent(
    """
    import sys

    class NoStubs:
        # Refuses the stub packages as if they were not installed.
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"mypy_boto3_iottwinmaker", "types_boto3_iottwinmaker"}:
                raise ImportError(f"{name} is not installed")
            return None

    sys.meta_path.insert(0, NoStubs())

    import twinkit
    import twinkit.dataplane
    import twinkit.local
    import twinkit.local.pytest_plugin
    from twinkit.local import Emulator, serve

    twin = Emulator()
    tm = twinkit.TwinMaker(client=twin.client())
    tm.create_workspace(workspace_id="factory", role="arn:aws:iam::123456789012:role/tm")
    assert [w.workspace_id for w in tm.list_workspaces().workspace_summaries] == ["factory"]
    with serve(port=0, emulator=twin) as server:
        assert server.client().list_workspaces()["workspaceSummaries"]
    assert not any(m.startswith(("mypy_boto3", "types_boto3")) for m in sys.modules)
    print("ok")
    """
)


def test_twinkit_runs_without_the_boto3_stubs() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_STUBS], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
