"""The plugin's typed fixture, `twinkit_client`, run in a pytest of its own (`pytester`)."""

from __future__ import annotations

import pytest

# pytest-asyncio (the `test` extra) warns, an error under `-W error`, when a project leaves
# its fixture loop scope unset, as the scratch projects of pytester do.
ASYNCIO_OPTION = ("-o", "asyncio_default_fixture_loop_scope=function")

pytest_plugins = ["pytester"]


def test_twinkit_client_is_a_typed_client_over_the_tests_emulator(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import pytest
        import twinkit
        from twinkit import DataTypes, PropertyDefinition


        def test_typed_calls_reach_the_tests_emulator(
            twinkit_client, twinmaker_client, twinmaker_emulator
        ):
            assert isinstance(twinkit_client, twinkit.TwinMaker)
            assert twinkit_client.boto3_client is twinmaker_client
            ws = twinkit_client.workspaces.create("factory")
            pump = ws.component_types.create(
                "com.example.pump",
                properties={"rpm": PropertyDefinition(DataTypes.DOUBLE, time_series=True)},
            ).wait_until_active()
            assert pump.state == "ACTIVE"
            assert set(twinmaker_emulator.state.workspaces) == {"factory"}
            raw = twinmaker_client.get_component_type(
                workspaceId="factory", componentTypeId="com.example.pump"
            )
            assert raw["propertyDefinitions"]["rpm"]["isTimeSeries"] is True


        @pytest.mark.parametrize("round", [1, 2])
        def test_no_state_leaks_between_tests(twinkit_client, round):
            assert list(twinkit_client.workspaces.list()) == []
            twinkit_client.workspaces.create("factory")


        def test_service_errors_are_typed(twinkit_client):
            with pytest.raises(twinkit.errors.ResourceNotFoundError):
                twinkit_client.workspaces.get("missing")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "error", *ASYNCIO_OPTION)
    result.assert_outcomes(passed=4)
