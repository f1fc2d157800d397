"""twinkit: the typed, ergonomic Python SDK for AWS IoT TwinMaker, with a local emulator."""

from twinkit import errors, models
from twinkit.errors import Problem, ServiceError, TwinkitError, ValidationError

__version__ = "0.1.0"

__all__ = [
    "Problem",
    "ServiceError",
    "TwinkitError",
    "ValidationError",
    "__version__",
    "errors",
    "models",
]
