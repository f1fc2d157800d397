"""Deep and cyclic values: a `ValidationError` naming the path, never a `RecursionError`.

One limit, `twinkit._service.MAX_NESTING` (128 levels of lists and maps, arrays and objects),
holds for Python values (`twinkit.values`), for wire data (`twinkit.wire.converter`), for the
SDK's check of a request before sending it, and for the emulator's check of a request body.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import twinkit
from twinkit import models
from twinkit._service import MAX_NESTING
from twinkit.errors import ServiceError, ValidationError
from twinkit.local import Emulator
from twinkit.models import DataValue
from twinkit.values import from_data_value, to_data_value
from twinkit.wire import checked_request_wire, converter

TOO_DEEP = f"nests deeper than {MAX_NESTING} levels of lists and maps (arrays and objects)"
REFERS_TO_ITSELF = "refers to itself (a list or dict that contains itself cannot be converted)"

# One step into a container: an index into a list, or a key into a dict.
Step = int | str
step = st.one_of(st.integers(0, 2), st.text(alphabet="abc", max_size=3))


@st.composite
def step_lists(draw: st.DrawFn, min_size: int, max_size: int) -> list[Step]:
    """Paths of `min_size` to `max_size` steps: varied ones first, then list indexes."""
    size = draw(st.integers(min_size, max_size))
    varied = draw(st.lists(step, max_size=min(size, 12)))
    return varied + [0] * (size - len(varied))


def nested(steps: list[Step], leaf: Any = "x") -> Any:
    """A value with one list or dict per step (outermost first), `leaf` innermost.

    A list step `i` puts the item at index `i` (after `i` scalars), so paths are not all `[0]`.
    """
    value = leaf
    for step in reversed(steps):
        value = [*range(step), value] if isinstance(step, int) else {step: value, "z": 1}
    return value


def path_of(steps: list[Step]) -> str:
    return "".join(f"[{step!r}]" for step in steps)


def deep_data_value(levels: int) -> DataValue:
    """A DataValue nesting `levels` lists, built without recursion."""
    value = DataValue(string_value="x")
    for _ in range(levels):
        value = DataValue(list_value=[value])
    return value


def json_depth(value: Any) -> int:
    """How many levels of dicts and lists `value` nests (itself level 1), iteratively."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, depth)
            items = node.values() if isinstance(node, dict) else node
            stack.extend((item, depth + 1) for item in items)
    return deepest


# --- twinkit.values ---------------------------------------------------------------------------


@given(steps=step_lists(0, MAX_NESTING))
def test_values_nested_up_to_the_limit_convert_both_ways(steps: list[Step]) -> None:
    value = nested(steps)
    assert from_data_value(to_data_value(value)) == value


def test_a_value_nested_exactly_to_the_limit_converts_both_ways() -> None:
    value = nested([0] * MAX_NESTING)
    assert from_data_value(to_data_value(value)) == value


@given(steps=step_lists(MAX_NESTING + 1, MAX_NESTING + 3000))  # far past the recursion limit
def test_a_value_nested_past_the_limit_is_a_validation_error_naming_where(
    steps: list[Step],
) -> None:
    with pytest.raises(ValidationError) as raised:
        to_data_value(nested(steps))
    # The first list or dict past the limit is named: the one reached by MAX_NESTING steps.
    ((problem,),) = [raised.value.problems]
    assert problem.message == TOO_DEEP
    assert problem.path == "value" + path_of(steps[:MAX_NESTING])


@given(steps=step_lists(1, 100), data=st.data())
def test_a_value_that_contains_itself_is_refused_where_it_does(
    steps: list[Step], data: st.DataObject
) -> None:
    value = nested(steps)
    # Walk down to some container and make it hold one of the containers above it.
    chain = [value]
    for index_or_key in steps:
        chain.append(chain[-1][index_or_key])
    depth = data.draw(st.integers(0, len(chain) - 2), label="where the cycle closes")
    ancestor = chain[data.draw(st.integers(0, depth), label="which container it holds")]
    holder = chain[depth]
    if isinstance(holder, list):
        holder.append(ancestor)
        last: Step = len(holder) - 1
    else:
        holder["self"] = ancestor
        last = "self"
    with pytest.raises(ValidationError) as raised:
        to_data_value(value)
    ((problem,),) = [raised.value.problems]
    assert problem.message == REFERS_TO_ITSELF
    assert problem.path == "value" + path_of([*steps[:depth], last])


@given(levels=st.integers(0, MAX_NESTING))
def test_data_values_nested_up_to_the_limit_convert_to_python(levels: int) -> None:
    assert from_data_value(deep_data_value(levels)) == nested([0] * levels)


@given(levels=st.integers(MAX_NESTING + 1, MAX_NESTING + 5000))
def test_a_data_value_nested_past_the_limit_is_a_validation_error(levels: int) -> None:
    with pytest.raises(ValidationError) as raised:
        from_data_value(deep_data_value(levels))
    ((problem,),) = [raised.value.problems]
    assert problem.message == TOO_DEEP
    assert problem.path == "value" + "[0]" * MAX_NESTING
    assert problem.wire_path == ".".join(["listValue[0]"] * MAX_NESTING)


def test_a_data_value_that_contains_itself_is_refused() -> None:
    inner = DataValue(list_value=[DataValue(string_value="x")])
    outer = DataValue(map_value={"a": inner})
    assert inner.list_value is not None
    inner.list_value.append(outer)
    with pytest.raises(ValidationError, match=r"value\['a'\]\[1\]: refers to itself"):
        from_data_value(outer)


# --- twinkit.wire.converter --------------------------------------------------------------------


def wire_value(levels: int) -> dict[str, Any]:
    """A DataValue's wire form nesting `levels` lists: 2 * levels + 1 JSON levels."""
    value: dict[str, Any] = {"stringValue": "x"}
    for _ in range(levels):
        value = {"listValue": [value]}
    return value


@given(levels=st.integers(0, 5000))
def test_the_converter_reads_wire_values_up_to_the_limit_and_refuses_deeper(levels: int) -> None:
    wire = wire_value(levels)
    if 2 * levels + 1 <= MAX_NESTING:
        assert converter.unstructure(converter.structure(wire, DataValue)) == wire
        return
    with pytest.raises(ValidationError) as raised:
        converter.structure(wire, DataValue)
    ((problem,),) = [raised.value.problems]
    assert problem.message == TOO_DEEP
    # Level MAX_NESTING + 1 = 129 is the object after 64 lists.
    assert problem.path == "DataValue" + ".list_value[0]" * ((MAX_NESTING + 1) // 2)


def test_the_converter_refuses_a_wire_value_that_contains_itself() -> None:
    wire: dict[str, Any] = {"mapValue": {"a": {"stringValue": "x"}}}
    wire["mapValue"]["b"] = wire
    with pytest.raises(ValidationError, match="refers to itself") as raised:
        converter.structure(wire, DataValue)
    assert not isinstance(raised.value.__cause__, ValidationError)


def test_unstructuring_a_model_that_contains_itself_names_where() -> None:
    value = DataValue(list_value=[DataValue(string_value="x")])
    assert value.list_value is not None
    value.list_value.append(value)
    with pytest.raises(ValidationError) as raised:
        converter.unstructure(value)
    ((problem,),) = [raised.value.problems]
    assert (problem.path, problem.wire_path) == ("DataValue.list_value[1]", "listValue[1]")
    assert problem.message == REFERS_TO_ITSELF


def test_unstructuring_a_model_too_deep_for_the_stack_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as raised:
        converter.unstructure(deep_data_value(5000))
    assert raised.value.problems[0].message == TOO_DEEP


# --- requests: the SDK refuses what the emulator would, before sending ------------------------


def create_entity(value: DataValue) -> models.CreateEntityRequest:
    """A request model; building it checks it (`checked_request_wire`)."""
    return models.CreateEntityRequest(
        workspace_id="factory",
        entity_name="pump",
        components=components(value),
    )


def components(value: DataValue) -> dict[str, models.ComponentRequest]:
    return {
        "c": models.ComponentRequest(
            component_type_id="com.example.pump",
            properties={"p": models.PropertyRequest(value=value)},
        )
    }


# The request body nests 6 levels down to the value (body, components, component, properties,
# property, value); each list in the value adds 2: 61 lists make 128 levels, 62 make 130.
FITS, TOO_MANY = (MAX_NESTING - 6) // 2, (MAX_NESTING - 6) // 2 + 1


def test_the_request_check_counts_levels_as_the_emulator_does() -> None:
    assert json_depth(checked_request_wire(create_entity(deep_data_value(FITS)))) == MAX_NESTING
    with pytest.raises(ValidationError) as raised:
        create_entity(deep_data_value(TOO_MANY))
    ((problem,),) = [raised.value.problems]
    assert problem.message == TOO_DEEP
    assert problem.wire_path.startswith("components['c'].properties['p'].value.listValue[0].")
    assert problem.path.startswith(
        "CreateEntityRequest.components['c'].properties['p'].value.list_value[0]."
    )


@given(lists=st.integers(TOO_MANY, 3000))
def test_a_request_holding_a_deep_value_is_refused_whatever_its_depth(lists: int) -> None:
    with pytest.raises(ValidationError, match="nests deeper than 128 levels"):
        create_entity(deep_data_value(lists))


def test_a_request_holding_itself_is_refused() -> None:
    value = DataValue(list_value=[])
    assert value.list_value is not None
    value.list_value.append(value)
    with pytest.raises(ValidationError) as raised:
        create_entity(value)
    ((problem,),) = [raised.value.problems]
    assert problem.message == REFERS_TO_ITSELF
    assert problem.path == (
        "CreateEntityRequest.components['c'].properties['p'].value.list_value[0]"
    )


@pytest.fixture
def sent() -> tuple[twinkit.TwinMaker, list[str]]:
    """A typed client answered by an emulator, and the URL of every request it sent."""
    twin = Emulator()
    client = twin.client()
    urls: list[str] = []

    def record(request: Any, **_: Any) -> None:
        urls.append(request.url)

    client.meta.events.register_first("before-send.iottwinmaker", record)
    tm = twinkit.TwinMaker(client=client)
    tm.create_workspace(workspace_id="factory", role="arn:aws:iam::123456789012:role/tm")
    urls.clear()
    return tm, urls


def test_a_typed_call_with_a_deep_value_fails_before_sending(
    sent: tuple[twinkit.TwinMaker, list[str]],
) -> None:
    tm, urls = sent
    deep = to_data_value(nested([0] * 100))  # a valid Python value, too deep for a request
    with pytest.raises(ValidationError, match="nests deeper than 128 levels") as raised:
        tm.create_entity(workspace_id="factory", entity_name="pump", components=components(deep))
    assert raised.value.problems[0].wire_path.startswith("components['c'].properties['p'].value")
    assert urls == []


def test_a_typed_call_at_the_limit_is_sent_and_not_refused_for_depth(
    sent: tuple[twinkit.TwinMaker, list[str]],
) -> None:
    tm, urls = sent
    value = deep_data_value(FITS)
    with pytest.raises(ServiceError) as raised:  # the component type does not exist
        tm.create_entity(workspace_id="factory", entity_name="pump", components=components(value))
    assert len(urls) == 1
    assert "deeper" not in str(raised.value)
