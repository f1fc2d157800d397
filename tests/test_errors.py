"""The exception tree: every error shape of the model has its class; errors pickle."""

from __future__ import annotations

import pickle

import pytest

from twinkit import errors
from twinkit._generated.tables import SHAPES
from twinkit._schema import StructureShape

ERROR_SHAPES = sorted(
    name for name, s in SHAPES.items() if isinstance(s, StructureShape) and s.error_code
)


def test_every_error_shape_of_the_model_maps_to_a_class() -> None:
    assert len(ERROR_SHAPES) == 11
    assert sorted(errors.SERVICE_ERRORS) == ERROR_SHAPES
    for code, cls in errors.SERVICE_ERRORS.items():
        assert issubclass(cls, errors.ServiceError)
        assert cls is not errors.ServiceError, code
        assert cls.__name__ in errors.__all__


@pytest.mark.parametrize("code", ERROR_SHAPES)
def test_service_errors_keep_what_the_service_said_and_pickle(code: str) -> None:
    cls = errors.SERVICE_ERRORS[code]
    error = cls(
        "Entity pump not found", code=code, status_code=404, request_id="r-1", operation="GetEntity"
    )
    assert str(error) == f"GetEntity failed: {code}: Entity pump not found"
    restored = pickle.loads(pickle.dumps(error))
    assert type(restored) is cls
    assert (
        restored.code,
        restored.message,
        restored.status_code,
        restored.request_id,
        restored.operation,
    ) == (code, "Entity pump not found", 404, "r-1", "GetEntity")


def test_errors_are_grouped_by_what_the_caller_can_do() -> None:
    retryable = {c for c, cls in errors.SERVICE_ERRORS.items() if cls.retryable}
    assert retryable == {
        "ThrottlingException",
        "InternalServerException",
        "ConnectorTimeoutException",
        "QueryTimeoutException",
    }
    assert issubclass(errors.ResourceNotFoundError, LookupError)
    assert issubclass(errors.AccessDeniedError, PermissionError)
    assert issubclass(errors.WaitTimeoutError, TimeoutError)
    assert issubclass(errors.ValidationError, ValueError)
    for name in errors.__all__:
        obj = getattr(errors, name)
        if isinstance(obj, type):
            assert issubclass(obj, errors.TwinkitError) or obj is errors.Problem


def test_waiter_errors_describe_what_happened() -> None:
    timeout = errors.WaitTimeoutError("entity pump in workspace factory", "CREATING", 30.04)
    assert str(timeout) == (
        "gave up waiting for entity pump in workspace factory after 30.0s (last state: CREATING)"
    )
    assert timeout.last_state == "CREATING"
    failed = errors.ResourceFailedError("sync job", "SYNC_CREATING_ERROR", "no access")
    assert str(failed) == "sync job failed: SYNC_CREATING_ERROR: no access"


@pytest.mark.parametrize("code", ERROR_SHAPES)
def test_pickles_name_only_the_public_errors_module(code: str) -> None:
    # The classes are generated into a private module; a pickle must not depend on where.
    error = errors.SERVICE_ERRORS[code]("gone", code=code)
    assert type(error).__module__ == "twinkit.errors"
    data = pickle.dumps(error)
    assert b"twinkit._" not in data
    assert type(pickle.loads(data)) is type(error)
