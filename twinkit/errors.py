"""The twinkit exception tree.

```
TwinkitError
 ├── ValidationError (also ValueError)      bad input, caught before sending: every Problem
 ├── ServiceError                           the service answered with an error
 │    ├── ServiceValidationError            ValidationException (400)
 │    ├── ResourceNotFoundError             ResourceNotFoundException (404), also LookupError
 │    ├── ConflictError                     ConflictException (409)
 │    ├── AccessDeniedError                 AccessDeniedException (403), also PermissionError
 │    ├── ServiceQuotaExceededError         ServiceQuotaExceededException (402)
 │    ├── TooManyTagsError                  TooManyTagsException (400)
 │    ├── ThrottlingError          retry    ThrottlingException (429)
 │    ├── InternalServerError      retry    InternalServerException (500)
 │    ├── ConnectorFailureError             ConnectorFailureException (424)
 │    ├── ConnectorTimeoutError    retry    ConnectorTimeoutException (424)
 │    └── QueryTimeoutError        retry    QueryTimeoutException (400)
 ├── TransportError                         no response arrived (connection, DNS, timeout)
 ├── ResourceFailedError                    a resource waited on reached ERROR
 └── WaitTimeoutError (also TimeoutError)   a waiter gave up; keeps the last state seen
```

Service errors carry `code`, `message`, `status_code`, `request_id` and `operation`, and
chain the botocore `ClientError` they came from as `__cause__`. A code the model does not
know raises a plain `ServiceError` that keeps it. `retryable` says whether trying again
later may succeed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twinkit._errorbase import (
    Problem,
    ResourceFailedError,
    ServiceError,
    TransportError,
    TwinkitError,
    ValidationError,
    WaitTimeoutError,
    _rebuild_service_error,
)
from twinkit._generated.errors import *  # noqa: F403
from twinkit._generated.errors import __all__ as _generated_names

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

# A new error shape in the model needs no edit here: its class comes with the generated names.
__all__ = [
    "Problem",
    "ResourceFailedError",
    "ServiceError",
    "TransportError",
    "TwinkitError",
    "ValidationError",
    "WaitTimeoutError",
    "service_error",
    *_generated_names,
]


def service_error(error: ClientError, operation: str | None = None) -> ServiceError:
    """The twinkit error for a botocore `ClientError` (the caller chains it as the cause).

    For code that calls boto3 itself (`tm.boto3_client`) and wants twinkit's exception tree:
    `raise service_error(exc) from exc`.
    """
    response = error.response
    details = response.get("Error", {})
    metadata = response.get("ResponseMetadata", {})
    code = str(details.get("Code") or "Unknown")
    cls = SERVICE_ERRORS.get(code, ServiceError)  # noqa: F405 (a generated name)
    return cls(
        str(details.get("Message") or ""),
        code=code,
        status_code=metadata.get("HTTPStatusCode"),
        request_id=metadata.get("RequestId"),
        operation=operation or getattr(error, "operation_name", None),
    )


# The classes live in private modules but are public here: say so in reprs, tracebacks and
# pickles (a pickle then names `twinkit.errors.X`, which stays stable if the modules move).
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) and _obj.__module__.startswith("twinkit._"):
        _obj.__module__ = __name__
del _name, _obj
# Pickled service errors name the function that rebuilds them: keep the name 0.1.0 wrote.
_rebuild_service_error.__module__ = __name__
