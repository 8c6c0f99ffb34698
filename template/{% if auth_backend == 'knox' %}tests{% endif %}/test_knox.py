"""What only knox does: one token per device, stored as a digest."""

import re
from datetime import timedelta

import time_machine
from django.utils import timezone
from knox.models import get_token_model
from knox.settings import knox_settings
from knox.signals import token_expired

from .conftest import HELLO_URL, LOGOUT_URL


def test_each_login_issues_a_new_token(api_client, backend, credentials, token):
    assert backend.token_of(backend.login(api_client, credentials)) != token


def test_tokens_are_256_bits(token):
    assert re.fullmatch(r"[0-9a-f]{64}", token)


def test_logout_leaves_other_devices_logged_in(api_client, backend, credentials, token):
    other_device = backend.token_of(backend.login(api_client, credentials))
    backend.authorize(api_client, token)

    assert api_client.post(LOGOUT_URL).status_code == 204

    assert api_client.get(HELLO_URL).status_code == 401
    backend.authorize(api_client, other_device)
    assert api_client.get(HELLO_URL).status_code == 200


def test_login_reports_the_expiry(login):
    assert login["expiry"]


def test_login_creates_no_session(api_client, backend, credentials):
    response = api_client.post(backend.obtain_url, credentials, format="json")

    assert "sessionid" not in response.cookies


def test_only_a_digest_of_the_token_is_stored(token, user):
    stored = get_token_model().objects.get(user=user)

    assert token not in {stored.digest, stored.token_key}
    assert stored.token_key == token[: len(stored.token_key)]


def test_request_auth_is_the_stored_token(authenticated_client, user):
    auth = authenticated_client.get(HELLO_URL).wsgi_request.auth
    stored = get_token_model().objects.get(user=user)

    assert (auth.digest, auth.token_key, auth.created, auth.expiry) == (
        stored.digest,
        stored.token_key,
        stored.created,
        stored.expiry,
    )
    assert auth.user_id == user.pk


def test_login_deletes_the_users_expired_tokens(api_client, backend, credentials, token, user):
    """knox's cleanup of a user's other expired tokens, moved off the request path,
    with knox's signal for each."""
    later = timezone.now() + knox_settings.TOKEN_TTL + timedelta(seconds=1)
    expired = []

    def receiver(**kwargs):
        expired.append(kwargs)

    token_expired.connect(receiver)

    try:
        with time_machine.travel(later, tick=False):
            fresh = backend.token_of(backend.login(api_client, credentials))
    finally:
        token_expired.disconnect(receiver)

    [stored] = get_token_model().objects.filter(user=user)
    assert stored.token_key == fresh[: len(stored.token_key)]
    assert [(event["username"], event["source"]) for event in expired] == [
        (user.get_username(), "other_token")
    ]


def test_an_expired_token_is_deleted_when_used(api_client, backend, token, user):
    backend.authorize(api_client, token)
    later = timezone.now() + knox_settings.TOKEN_TTL + timedelta(seconds=1)

    with time_machine.travel(later, tick=False):
        assert api_client.get(HELLO_URL).status_code == 401

    assert not get_token_model().objects.filter(user=user).exists()


def test_a_forged_token_with_a_real_prefix_is_401(api_client, backend, token):
    """knox finds candidates by the token's first characters; the rest must still match,
    and a rest that is not even hex is a 401 too, never a 500."""
    for forged in (token[:-1] + ("0" if token[-1] != "0" else "1"), token[:-1] + "z"):
        backend.authorize(api_client, forged)

        assert api_client.get(HELLO_URL).status_code == 401


def test_auto_refresh_extends_a_used_token(authenticated_client, settings, user):
    """Off by default (REST_KNOX in the settings); turned on, each use moves the expiry."""
    settings.REST_KNOX = {**settings.REST_KNOX, "AUTO_REFRESH": True, "MIN_REFRESH_INTERVAL": 0}
    stored = get_token_model().objects.get(user=user)

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert authenticated_client.get(HELLO_URL).status_code == 200

    stored_after = get_token_model().objects.get(user=user)
    assert stored_after.expiry > stored.expiry
