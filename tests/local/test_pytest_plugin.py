"""The `twinkit` pytest plugin's fixtures, run in a pytest of their own (`pytester`)."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

# pytest-asyncio (the `test` extra) warns, an error under `-W error`, when a project leaves
# its fixture loop scope unset, as the scratch projects of pytester do.
ASYNCIO_OPTION = ("-o", "asyncio_default_fixture_loop_scope=function")

pytest_plugins = ["pytester"]

ROLE = "arn:aws:iam::123456789012:role/twinmaker"


def test_plugin_is_registered_as_a_pytest11_entry_point() -> None:
    (plugin,) = [e for e in entry_points(group="pytest11") if e.name == "twinkit"]
    assert plugin.value == "twinkit.local.pytest_plugin"


def test_plugin_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import pytest
        import twinkit.local

        ROLE = {ROLE!r}


        def test_emulator_is_fresh(twinmaker_emulator):
            assert isinstance(twinmaker_emulator, twinkit.local.Emulator)
            assert twinmaker_emulator.state.workspaces == {{}}


        @pytest.mark.parametrize("round", [1, 2])
        def test_client_state_does_not_leak(twinmaker_client, round):
            assert twinmaker_client.list_workspaces()["workspaceSummaries"] == []
            twinmaker_client.create_workspace(workspaceId="factory", role=ROLE)


        def test_client_is_bound_to_the_emulator(twinmaker_client, twinmaker_emulator):
            twinmaker_client.create_workspace(workspaceId="factory", role=ROLE)
            assert set(twinmaker_emulator.state.workspaces) == {{"factory"}}


        @pytest.mark.parametrize("round", [1, 2])
        def test_server_shares_the_tests_emulator(
            twinmaker_server, twinmaker_client, twinmaker_emulator, round
        ):
            assert twinmaker_server.emulator is twinmaker_emulator
            assert twinmaker_server.url.startswith("http://127.0.0.1:")
            http = twinmaker_server.client()
            assert http.list_workspaces()["workspaceSummaries"] == []
            http.create_workspace(workspaceId="factory", role=ROLE)
            listed = twinmaker_client.list_workspaces()["workspaceSummaries"]
            assert [w["workspaceId"] for w in listed] == ["factory"]
            http.close()
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "error", *ASYNCIO_OPTION)
    result.assert_outcomes(passed=6)


def test_plugin_emulator_options_can_be_overridden(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def twinmaker_emulator_options():
            return {"region": "eu-west-1", "account_id": "111122223333"}
        """
    )
    pytester.makepyfile(
        f"""
        def test_region(twinmaker_client):
            created = twinmaker_client.create_workspace(workspaceId="factory", role={ROLE!r})
            assert created["arn"] == (
                "arn:aws:iottwinmaker:eu-west-1:111122223333:workspace/factory"
            )
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "error", *ASYNCIO_OPTION)
    result.assert_outcomes(passed=1)


def test_plugin_server_is_shared_by_the_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        URLS = []

        def test_first(twinmaker_server):
            URLS.append(twinmaker_server.url)

        def test_second(twinmaker_server):
            URLS.append(twinmaker_server.url)
            assert URLS[0] == URLS[1]
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "error", *ASYNCIO_OPTION)
    result.assert_outcomes(passed=2)


def test_plugin_can_be_disabled(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_needs_it(twinmaker_client):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:twinkit", *ASYNCIO_OPTION)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'twinmaker_client' not found*"])
