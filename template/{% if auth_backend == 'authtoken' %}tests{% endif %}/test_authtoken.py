"""What only DRF's authtoken does: one shared token per user, expiring after TOKEN_TTL."""

import re
from datetime import timedelta

import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token

from .conftest import HELLO_URL


def test_every_login_returns_the_users_one_token(api_client, backend, credentials, token):
    assert backend.token_of(backend.login(api_client, credentials)) == token


def test_an_expired_token_is_deleted(api_client, backend, token, user):
    backend.authorize(api_client, token)

    with time_machine.travel(timezone.now() + settings.TOKEN_TTL + timedelta(seconds=1)):
        assert api_client.get(HELLO_URL).status_code == 401

    assert not Token.objects.filter(user=user).exists()


def test_request_auth_is_the_stored_token(api_client, backend, token, user):
    backend.authorize(api_client, token)

    auth = api_client.get(HELLO_URL).wsgi_request.auth

    stored = Token.objects.get(user=user)
    assert (auth.key, auth.created, auth.user_id) == (stored.key, stored.created, user.pk)


def test_login_after_expiry_issues_a_new_token(api_client, backend, credentials, token):
    with time_machine.travel(timezone.now() + settings.TOKEN_TTL + timedelta(seconds=1)):
        new_token = backend.token_of(backend.login(api_client, credentials))
        backend.authorize(api_client, new_token)
        assert api_client.get(HELLO_URL).status_code == 200

    assert new_token != token


def test_drf_create_token_gives_a_working_token(api_client, backend, user, capsys):
    call_command("drf_create_token", user.get_username())

    key = capsys.readouterr().out.split()[2]
    backend.authorize(api_client, key)
    assert api_client.get(HELLO_URL).status_code == 200


def test_keys_are_160_bits_and_never_repeat(token):
    keys = {Token.generate_key() for _ in range(1000)} | {token}

    assert len(keys) == 1001
    assert all(re.fullmatch(r"[0-9a-f]{40}", key) for key in keys)
