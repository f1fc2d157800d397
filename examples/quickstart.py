"""twinkit quickstart: typed TwinMaker models, exact wire conversion and Pythonic values.

Until the local emulator lands, this shows the foundation every call goes through: build a
request from typed models, convert it to the exact dict boto3 sends (checked here by
botocore's own validator), read a service response back into typed models, and catch a
bad request before it leaves your machine, with the field it names.

Run: python examples/quickstart.py
"""

from __future__ import annotations

from datetime import datetime, timezone

import botocore.session
from botocore.validate import validate_parameters

from twinkit import ValidationError, models
from twinkit.wire import converter


def main() -> None:
    # 1. A request, typed: your IDE completes every name, mypy checks every type.
    request = models.CreateEntityRequest(
        workspace_id="cookie-factory",
        entity_name="Mixer 1",
        components={
            "mixer": models.ComponentRequest(
                component_type_id="com.example.cookiefactory.mixer",
                properties={
                    "rpm": models.PropertyRequest(value=models.DataValue(double_value=1450.0)),
                    "tags": models.PropertyRequest(
                        value=models.DataValue(
                            list_value=[
                                models.DataValue(string_value="line-a"),
                                models.DataValue(string_value="critical"),
                            ]
                        )
                    ),
                },
            )
        },
    )

    # 2. The exact dict boto3 takes: camelCase, nothing None, nothing invented.
    wire = converter.unstructure(request)
    print("wire request:", wire)
    model = botocore.session.get_session().get_service_model("iottwinmaker")
    validate_parameters(wire, model.operation_model("CreateEntity").input_shape)
    print("botocore accepts it as CreateEntity's input")

    # 3. A response as boto3 returns it, read back into typed models.
    response = converter.structure(
        {
            "entityId": "a1b2c3",
            "arn": "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/cookie-factory",
            "creationDateTime": datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc),
            "state": "CREATING",
        },
        models.CreateEntityResponse,
    )
    print("typed response:", response)
    assert response.state is models.State.CREATING

    # 4. A bad request fails before sending, naming every bad field by its path.
    try:
        models.CreateEntityRequest(
            workspace_id="cookie factory",
            entity_name="x" * 300,
            components={
                "mixer": models.ComponentRequest(
                    properties={
                        "rpm": models.PropertyRequest(value=models.DataValue(long_value=-1))
                    },
                    component_type_id="",
                )
            },
        )
    except ValidationError as error:
        print("refused before sending:")
        for problem in error.problems:
            print("  ", problem)


if __name__ == "__main__":
    main()
