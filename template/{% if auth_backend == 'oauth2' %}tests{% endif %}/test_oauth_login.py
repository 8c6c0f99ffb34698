"""tests/oauth_login.py, the standard-library client the fuzzing hook logs in with,
runs the whole authorization code flow against a live server: real HTTP, CSRF
checks and cookies included."""

import urllib.request

import pytest

from .backend import REDIRECT_URI, public_client
from .conftest import HELLO_URL
from .oauth_login import obtain_tokens


@pytest.mark.django_db(transaction=True)
def test_a_user_gets_tokens_over_http(live_server, user, password):
    client = public_client()

    tokens = obtain_tokens(
        live_server.url, user.get_username(), password, client.client_id, REDIRECT_URI
    )

    request = urllib.request.Request(  # noqa: S310 (the live server's http URL)
        f"{live_server.url}{HELLO_URL}",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_is_an_error_naming_the_step(live_server, user):
    client = public_client()

    with pytest.raises(RuntimeError, match="Logging in failed"):
        obtain_tokens(live_server.url, user.get_username(), "wrong", client.client_id, REDIRECT_URI)
