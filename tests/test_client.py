"""A Python client generated from each backend's OpenAPI schema runs the README's flow."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from harness.devserver import dev_server
from harness.runner import output, run, tool_venv
from harness.variants import FUZZED

GENERATOR = "openapi-python-client==0.29.1"
CLIENT_FLOW = Path(__file__).with_name("client_flow.py")


def served_schema(base_url: str) -> dict:
    request = urllib.request.Request(
        f"{base_url}/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        return json.load(response)


def json_bodies_only(schema: dict) -> dict:
    """Keep each request body's JSON form only. The API also takes forms, but
    openapi-python-client 0.29.1 writes an unimportable module for an operation with
    two or more request content types, and a generated client sends JSON anyway."""
    for item in schema["paths"].values():
        for operation in item.values():
            body = operation.get("requestBody")
            if body:
                body["content"] = {"application/json": body["content"]["application/json"]}
    return schema


@pytest.mark.parametrize("variant", FUZZED, ids=str, indirect=True)
def test_a_generated_client_runs_the_readme_flow(project, venv, tmp_path):
    generator = tool_venv(GENERATOR)
    schema_file, config = tmp_path / "schema.json", tmp_path / "generator.yaml"
    # No formatting pass: the generator would look for ruff on PATH.
    config.write_text("post_hooks: []\n")

    with dev_server(project, venv, tmp_path) as server:
        schema_file.write_text(json.dumps(json_bodies_only(served_schema(server.url))))
        generated = run(
            tmp_path,
            generator,
            "openapi-python-client",
            "generate",
            "--path",
            schema_file,
            "--output-path",
            tmp_path / "api_client",
            "--meta",
            "none",
            "--config",
            config,
        )
        assert generated.returncode == 0, output(generated)
        assert "Warning" not in generated.stdout + generated.stderr, output(generated)

        facts = {
            "credentials": server.credentials,
            "login": server.login,
            "scheme": server.backend.scheme,
            "token_field": server.backend.token_field,
        }
        if server.client_id is not None:
            facts["issued"] = server.log_in()
        flow = run(
            tmp_path,
            generator,
            "python",
            CLIENT_FLOW,
            "api_client",
            server.url,
            json.dumps(facts),
            PYTHONPATH=str(tmp_path),
        )

    assert flow.returncode == 0, output(flow)
    assert "flow ok" in flow.stdout
