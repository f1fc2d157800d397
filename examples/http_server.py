"""Serve the emulator over HTTP and talk to it as any client would: boto3 and twinkit.

The server needs waitress (`pip install 'twinkit[local]'`). From a shell the same server is
`python -m twinkit.local --port 4566`; the AWS CLI and the JavaScript SDK reach it the same
way, with host-prefix injection turned off (see docs/local.md).

Run: python -m pip install -e '.[local]' && python examples/http_server.py
"""

from __future__ import annotations

import boto3
from botocore.config import Config

import twinkit
import twinkit.local


def main() -> None:
    with twinkit.local.serve(port=0) as server:  # a free port on 127.0.0.1
        print(f"emulator listening on {server.url}")

        # Plain boto3: point it at the server, and keep it from prefixing `api.`/`data.`.
        client = boto3.client(
            "iottwinmaker",
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(inject_host_prefix=False),
        )
        client.create_workspace(workspaceId="factory", description="over HTTP")
        print(
            "boto3 sees:",
            [w["workspaceId"] for w in client.list_workspaces()["workspaceSummaries"]],
        )

        # twinkit's typed client, built the same way boto3 users build clients.
        tm = twinkit.TwinMaker(
            session=boto3.session.Session(
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                region_name="us-east-1",
            ),
            endpoint_url=server.url,
            config=Config(inject_host_prefix=False),
        )
        workspace = tm.workspaces.get("factory")
        print(f"twinkit sees: {workspace!r}, {workspace.description!r}, {workspace.arn}")


if __name__ == "__main__":
    main()
