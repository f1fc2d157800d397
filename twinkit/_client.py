"""The typed client: wraps one boto3 client, converts each call, makes it, maps its errors."""

from __future__ import annotations

import ipaddress
import json
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.validate import ParamValidationDecorator

from twinkit._generated.operations import TwinMakerOperations, TwinMakerPaginators
from twinkit._generated.tables import OPERATIONS
from twinkit._version import __version__
from twinkit.errors import TransportError, TwinkitError, service_error
from twinkit.resources.jobs import MetadataTransferJobs, PricingPlan
from twinkit.resources.workspaces import Workspaces
from twinkit.wire import checked_request_wire, converter

if TYPE_CHECKING:
    # Typing only (the `lint` extra installs it): twinkit needs no stub package at run time.
    from mypy_boto3_iottwinmaker import IoTTwinMakerClient

__all__ = ["TwinMaker", "service_error"]

T = TypeVar("T")

_OUTPUT_KEY = "__twinkit_output__"
_TYPED_CALL: ContextVar[bool] = ContextVar("twinkit_typed_call", default=False)


def _read_output_json(
    response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any
) -> None:
    """botocore `before-parse` hook: for a typed call's success, decode the body ourselves.

    botocore's generic parse is most of a call's cost (see benchmarks/README.md); the typed
    layer reads the JSON straight into models instead. Error responses, and calls made on the
    boto3 client directly, are left to botocore.
    """
    if not _TYPED_CALL.get() or response_dict.get("status_code", 500) >= 300:
        return
    body = response_dict.get("body") or b"{}"
    customized_response_dict[_OUTPUT_KEY] = json.loads(body)
    response_dict["body"] = b"{}"


class _TypedCallsUnvalidated:
    """A botocore client's serializer that skips botocore's `ParamValidator` for typed calls.

    A typed call's parameters were just checked by twinkit against the same service model,
    with its own rules (lengths, patterns and ranges too, which botocore does not check), so
    botocore checking them again only costs time. Calls made on the boto3 client directly
    keep botocore's check: they go to the validating serializer unchanged.
    """

    def __init__(self, validating: ParamValidationDecorator) -> None:
        self.validating = validating
        self._plain = validating._serializer

    def serialize_to_request(self, parameters: Any, operation_model: Any) -> Any:
        if _TYPED_CALL.get():
            return self._plain.serialize_to_request(parameters, operation_model)
        return self.validating.serialize_to_request(parameters, operation_model)


def _skip_botocore_validation_of_typed_calls(client: IoTTwinMakerClient) -> None:
    """Have `client` skip its parameter validation for typed calls only (see above).

    botocore offers validation per client (`Config(parameter_validation=False)`), not per
    call; the serializer is where it happens. A client built without validation, or whose
    serializer is not botocore's validating one, is left as it is.
    """
    serializer = getattr(client, "_serializer", None)
    if isinstance(serializer, ParamValidationDecorator):
        client._serializer = _TypedCallsUnvalidated(serializer)


def _cannot_take_host_prefix(endpoint_url: str) -> bool:
    """True for an endpoint whose host cannot be prefixed with `api.` or `data.`.

    botocore sends most TwinMaker operations to `api.<host>` and the data plane to
    `data.<host>`. An IP address, `localhost` or a single-label host (a local emulator, a
    container name) has no such names, so prefixing them only breaks the call.
    """
    host = urlsplit(endpoint_url).hostname or ""
    if host == "localhost" or "." not in host:
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _client_config(user: Config | None, config_class: type[Config] = Config) -> Config:
    """twinkit's defaults (standard retries, a user-agent suffix) under the user's config.

    `config_class` is what the defaults are built as: aiobotocore's `AioConfig` for an async
    client, whose `merge` keeps the options (`connector_args`) a plain `Config` refuses.
    """
    suffix = f"twinkit/{__version__}"
    config = config_class(retries={"mode": "standard"}, user_agent_extra=suffix)
    if user is None:
        return config
    config = config.merge(user)
    retries = user.retries
    if retries is not None and "mode" not in retries:
        config = config.merge(Config(retries={**retries, "mode": "standard"}))
    extra = user.user_agent_extra
    if extra and suffix not in extra:
        config = config.merge(Config(user_agent_extra=f"{extra} {suffix}"))
    return config


def _config_for(
    endpoint_url: str | None, user: Config | None, config_class: type[Config] = Config
) -> Config:
    """The client's `Config`: `_client_config`, with host prefixes off for a local endpoint."""
    merged = _client_config(user, config_class)
    # botocore's Config defaults inject_host_prefix to True; only a value the user
    # set (recorded in its user-provided options) counts as asking for injection.
    set_by_user = getattr(user, "_user_provided_options", {})
    asked = user is not None and set_by_user.get("inject_host_prefix") is True
    if endpoint_url and _cannot_take_host_prefix(endpoint_url) and not asked:
        merged = merged.merge(Config(inject_host_prefix=False))
    return merged


def _prepare(client: Any) -> None:
    """Make a botocore (or aiobotocore) client ready for typed calls: its typed-output decode
    and its validation skipped for typed calls only (both leave raw calls as they were)."""
    client.meta.events.register(
        "before-parse.iottwinmaker", _read_output_json, unique_id="twinkit-typed-output"
    )
    _skip_botocore_validation_of_typed_calls(client)


_BOTOCORE_ERRORS = (ClientError, HTTPClientError, BotoCoreError)
"""What a botocore call raises for an error answer or for no answer at all."""


def _twinkit_error(exc: ClientError | BotoCoreError, operation: str) -> TwinkitError:
    """The twinkit error for a botocore error raised by `operation`'s call: a `ServiceError`
    class for an error answer, `TransportError` when no answer arrived."""
    if isinstance(exc, ClientError):
        return service_error(exc, operation)
    return TransportError(f"{operation}: {exc}")


def _typed_output(raw: dict[str, Any], output: type[T]) -> T:
    """A typed call's answer as `output`: what `_read_output_json` decoded, else botocore's."""
    wire = raw.pop(_OUTPUT_KEY, None)
    if wire is None:  # another hook consumed the body; fall back to botocore's parse
        raw.pop("ResponseMetadata", None)
        wire = raw
    return converter.structure(wire, output)


class TwinMaker(TwinMakerOperations):
    """A typed AWS IoT TwinMaker client over one boto3 client.

    Every operation of the API is a method taking keyword arguments and returning a typed
    model (`get_entity(workspace_id=..., entity_id=...) -> GetEntityResponse`); arguments
    are checked against the service model before anything is sent, and service errors raise
    `twinkit.errors` classes.

    Args:
        session: The boto3 session to build the client from (the default session if None).
        region_name: The AWS region; boto3's usual resolution when None.
        endpoint_url: Another endpoint, e.g. a `python -m twinkit.local` server. When its
            host is an IP address, `localhost` or a single-label name, host-prefix injection
            is turned off (such hosts have no `api.`/`data.` names), unless `config` sets
            `inject_host_prefix=True`.
        config: A botocore `Config`, merged over twinkit's defaults (standard retries and a
            `twinkit/<version>` user-agent suffix).
        client: An existing boto3 `iottwinmaker` client to wrap instead of building one.

    Example:
        ```python
        import twinkit

        tm = twinkit.TwinMaker(region_name="us-east-1")
        workspace = tm.get_workspace(workspace_id="factory")
        print(workspace.arn, workspace.creation_date_time)
        ```
    """

    def __init__(
        self,
        *,
        session: boto3.session.Session | None = None,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        config: Config | None = None,
        client: IoTTwinMakerClient | None = None,
    ) -> None:
        if client is None:
            session = session or boto3.session.Session()
            client = session.client(
                "iottwinmaker",
                region_name=region_name,
                endpoint_url=endpoint_url,
                config=_config_for(endpoint_url, config),
            )
        self._client = client
        self.paginate = TwinMakerPaginators(self)
        """Every paginated operation as a lazy `Pager`: `tm.paginate.list_entities(...)`."""
        _prepare(client)

    @property
    def workspaces(self) -> Workspaces:
        """The workspaces of this account and region: create, get, list, or a handle."""
        return Workspaces(self)

    @property
    def metadata_transfer_jobs(self) -> MetadataTransferJobs:
        """Metadata transfer jobs: create, get, list, or a handle."""
        return MetadataTransferJobs(self)

    @property
    def pricing_plan(self) -> PricingPlan:
        """The account's pricing plan."""
        return PricingPlan(self)

    @property
    def boto3_client(self) -> IoTTwinMakerClient:
        """The underlying boto3 `iottwinmaker` client, for anything twinkit does not cover."""
        return self._client

    def __repr__(self) -> str:
        meta = self._client.meta
        return f"TwinMaker(region={meta.region_name!r}, endpoint={meta.endpoint_url!r})"

    def _call(self, operation: str, request: object, output: type[T]) -> T:
        method = getattr(self._client, OPERATIONS[operation].method)
        params = checked_request_wire(request)
        token = _TYPED_CALL.set(True)
        try:
            raw = method(**params)
        except _BOTOCORE_ERRORS as exc:
            raise _twinkit_error(exc, operation) from exc
        finally:
            _TYPED_CALL.reset(token)
        return _typed_output(raw, output)
