"""twinkit: the typed, ergonomic Python SDK for AWS IoT TwinMaker, with a local emulator."""

from twinkit import errors, models, resources, values
from twinkit._client import TwinMaker
from twinkit._version import __version__
from twinkit.builders import Component, DataTypes, PropertyDefinition
from twinkit.errors import Problem, ServiceError, TwinkitError, ValidationError

__all__ = [
    "TwinMaker",
    "Component",
    "DataTypes",
    "PropertyDefinition",
    "Problem",
    "ServiceError",
    "TwinkitError",
    "ValidationError",
    "__version__",
    "errors",
    "models",
    "resources",
    "values",
]

# Names defined in private modules show as `twinkit.X` in reprs, tracebacks and docs (httpx).
for _name in __all__:
    _obj = globals()[_name]
    if getattr(_obj, "__module__", "").startswith("twinkit._"):
        _obj.__module__ = "twinkit"
del _name, _obj
