"""The generated README's tutorial, through a Python client that openapi-python-client
wrote from the project's schema: log in, call hello, read me, log out, see 401.

Run by tests/test_client.py with the client's package importable:
    python client_flow.py <package> <base URL> <JSON: login body, scheme, token field>
An authorization server's tokens, got through its flow, come in the JSON as "issued".
Nothing here names a backend: request models come from the generated functions'
signatures, so the same flow drives every backend's client.
"""

import importlib
import json
import sys
import typing

import attrs


def body_model(module):
    """The request model the operation's `sync_detailed` takes as `body`, if any."""
    return typing.get_type_hints(module.sync_detailed).get("body")


def main(package: str, base_url: str, facts: dict) -> None:
    client_module = importlib.import_module(package)
    operations = {
        name: importlib.import_module(f"{package}.api.{tag}.{name}")
        for tag, name in [
            ("hello", "hello_retrieve"),
            ("auth", "auth_me_retrieve"),
            ("auth", "auth_logout_create"),
        ]
    }
    if "issued" in facts:
        # An authorization server's tokens come from its flow, not an API operation.
        issued = facts["issued"]
    else:
        login = importlib.import_module(f"{package}.api.auth.auth_token_create")
        anonymous = client_module.Client(base_url=base_url, raise_on_unexpected_status=True)
        credentials = body_model(login).from_dict(facts["credentials"])
        response = login.sync_detailed(client=anonymous, body=credentials)
        assert response.status_code == 200, response.content
        issued = response.parsed.to_dict()
    user = client_module.AuthenticatedClient(
        base_url=base_url, token=issued[facts["token_field"]], prefix=facts["scheme"]
    )

    hello = operations["hello_retrieve"].sync_detailed(client=user)
    assert hello.status_code == 200, hello.content
    assert hello.parsed.message == f"Hello {facts['login']}", hello.parsed

    me = operations["auth_me_retrieve"].sync_detailed(client=user)
    assert me.status_code == 200, me.content
    assert facts["login"] in me.parsed.to_dict().values(), me.parsed

    logout = operations["auth_logout_create"]
    # What logout takes besides the token (SimpleJWT: the refresh token), from the login.
    model = body_model(logout)
    kwargs = {}
    if model is not None:
        declared = [f.name for f in attrs.fields(model) if f.name != "additional_properties"]
        kwargs["body"] = model.from_dict({name: issued[name] for name in declared})
    response = logout.sync_detailed(client=user, **kwargs)
    assert response.status_code == 204, response.content

    after = operations["hello_retrieve"].sync_detailed(client=user)
    assert after.status_code == 401, after.content
    print("flow ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
