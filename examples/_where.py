"""Where the examples run: the embedded emulator by default, your AWS account with `--aws`.

Every example takes the same options:

    --aws                     run against AWS IoT TwinMaker (credentials and region as boto3
                              finds them: AWS_PROFILE, AWS_REGION, ...) instead of the emulator
    --role ARN                the workspace's IAM role (required with --aws)
    --s3-location ARN         the workspace's S3 bucket, arn:aws:s3:::NAME (required with --aws)
    --connector-lambda ARN    a Lambda data connector (dataReader and dataWriter) for the
                              time-series properties; on AWS, time-series values need one
    --keep                    on AWS, keep what the example made (by default it is deleted)

On the emulator nothing needs setting up and nothing outlives the run. On AWS an example makes
a workspace named after itself with a random suffix, and deletes it at the end unless --keep.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import twinkit
import twinkit.local
from twinkit import models


def parser(description: str | None) -> argparse.ArgumentParser:
    """An argument parser with the options every example shares."""
    found = argparse.ArgumentParser(description=(description or "").split("\n\n")[0])
    aws = found.add_argument_group("running against AWS instead of the embedded emulator")
    aws.add_argument("--aws", action="store_true", help="run against AWS IoT TwinMaker")
    aws.add_argument("--role", help="the workspace's IAM role ARN (with --aws)")
    aws.add_argument("--s3-location", help="the workspace's bucket, arn:aws:s3:::NAME")
    aws.add_argument(
        "--connector-lambda", help="a Lambda data connector ARN for time-series properties"
    )
    aws.add_argument("--keep", action="store_true", help="keep the workspace at the end")
    return found


@contextmanager
def twinmaker(options: argparse.Namespace) -> Iterator[twinkit.TwinMaker]:
    """A typed client: over the embedded emulator, or over AWS with `--aws`."""
    if not options.aws:
        with twinkit.local.emulator() as twin:
            yield twinkit.TwinMaker(client=twin.client())
        return
    if not (options.role and options.s3_location):
        sys.exit("--aws needs --role and --s3-location (a workspace needs both on AWS)")
    yield twinkit.TwinMaker()


@contextmanager
def workspace(
    tm: twinkit.TwinMaker, options: argparse.Namespace, name: str, description: str = ""
) -> Iterator[twinkit.resources.Workspace]:
    """A new workspace for the example; on AWS, uniquely named and deleted at the end."""
    if not options.aws:
        yield tm.workspaces.create(name, description=description or None)
        return
    ws = tm.workspaces.create(
        f"{name}-{secrets.token_hex(3)}",
        description=description or None,
        role=options.role,
        s3_location=options.s3_location,
    )
    print(f"on AWS: workspace {ws.id}")
    try:
        yield ws
    finally:
        if options.keep:
            print(f"kept workspace {ws.id}")
        else:
            delete_everything(ws)


def time_series_functions(
    options: argparse.Namespace,
) -> dict[str, models.FunctionRequest] | None:
    """The data connector time-series properties need on AWS (the emulator stores values)."""
    if not options.connector_lambda:
        return None
    connector = models.DataConnector(lambda_=models.LambdaFunction(arn=options.connector_lambda))
    return {
        "dataReader": models.FunctionRequest(implemented_by=connector),
        "dataWriter": models.FunctionRequest(implemented_by=connector),
    }


def has_time_series(options: argparse.Namespace) -> bool:
    """Whether time-series values can be written and read where the example runs."""
    if options.aws and not options.connector_lambda:
        print("on AWS without --connector-lambda: skipping the time-series steps")
        return False
    return True


def delete_everything(ws: twinkit.resources.Workspace) -> None:
    """Delete a workspace's entities, its own component types, then the workspace."""
    for root in list(ws.entities.roots()):
        root.delete(recursive=True)
    for root in list(ws.entities.roots()):
        root.wait_until_deleted()
    own = [t for t in ws.component_types.list() if not t.id.startswith("com.amazon.")]
    # Subtypes first: a type that others extend cannot be deleted before them.
    for component_type in sorted(own, key=lambda t: -depth(t)):
        component_type.delete()
        component_type.wait_until_deleted()
    ws.delete()
    print(f"deleted workspace {ws.id}")


def depth(component_type: twinkit.resources.ComponentType) -> int:
    """How many ancestors a component type has (0 for a type that extends nothing)."""
    parents = component_type.extends_from
    return 1 + max(depth(parent) for parent in parents) if parents else 0
