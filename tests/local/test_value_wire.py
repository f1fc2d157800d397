"""The emulator writes a stored scalar straight off its members: the same wire form as the
converter's generic walk, for every value."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import wire_values
from twinkit.local._backends.values import _json_safe, _scalar_wire, _value_wire
from twinkit.models import DataValue
from twinkit.wire import converter


def _generic(value: DataValue) -> Any:
    return _json_safe(converter.unstructure(value))


@given(wire=wire_values("DataValue", in_request=True))
def test_every_value_has_the_generic_wire_form(wire: dict[str, Any]) -> None:
    value = converter.structure_unchecked(wire, DataValue)
    assert _value_wire(value) == _generic(value)


@given(
    value=st.one_of(
        st.builds(DataValue, double_value=st.floats()),
        st.builds(DataValue, string_value=st.text()),
        st.builds(DataValue, long_value=st.integers()),
        st.builds(DataValue, integer_value=st.integers()),
        st.builds(DataValue, boolean_value=st.booleans()),
    )
)
def test_scalars_take_the_short_way_unless_not_finite(value: DataValue) -> None:
    fast = _scalar_wire(value)
    assert _value_wire(value) == _generic(value)
    double = value.double_value
    if double is not None and not math.isfinite(double):
        assert fast is None
    else:
        assert fast == _generic(value)
