"""Typed models of every shape in the AWS IoT TwinMaker API, named exactly as the API names them.

Each structure is a frozen, slotted, keyword-only attrs class with snake_case attributes;
required members have no default, optional ones default to `None` (absent). Enums are
`str` subclasses; fields typed with an enum also accept newer values as plain strings.
Convert to and from boto3's wire dicts with `twinkit.wire.converter`.
"""

from twinkit._generated.models import *  # noqa: F403
from twinkit._generated.models import __all__ as _generated_names
from twinkit._modelbase import JsonValue, Model, WireEnum

__all__ = ["JsonValue", "Model", "WireEnum", *_generated_names]
