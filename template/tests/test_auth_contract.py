"""The token contract, the same for every backend: get a token, use it, fail right, revoke it.

Backend differences (URLs aside) live in `backend.py`.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from .conftest import (
    HELLO_URL,
    LOGOUT_ALL_URL,
    LOGOUT_URL,
    PASSWORD_URL,
)
from .factories import UserFactory


def test_token_round_trip(api_client, backend, token, user):
    backend.authorize(api_client, token)

    response = api_client.get(HELLO_URL)

    assert response.status_code == 200
    assert response.json() == {"message": f"Hello {user.get_username()}"}


def test_authentication_takes_one_query(api_client, backend, token, django_assert_num_queries):
    """The token and its user (and, for JWT, the user's revocations) in one SELECT."""
    backend.authorize(api_client, token)

    with django_assert_num_queries(1):
        response = api_client.get(HELLO_URL)

    assert response.status_code == 200


def test_authentication_builds_the_user_the_orm_would(api_client, backend, token, user):
    """The one-query path (tokens/queries.py) yields a complete, saved user with every
    value converted as the ORM converts it."""
    user.last_login = timezone.now()
    user.save()
    backend.authorize(api_client, token)

    authenticated = api_client.get(HELLO_URL).wsgi_request.user
    stored = type(user).objects.get(pk=user.pk)

    fields = [field.attname for field in type(user)._meta.concrete_fields]
    assert [getattr(authenticated, name) for name in fields] == [
        getattr(stored, name) for name in fields
    ]
    assert not authenticated.get_deferred_fields()
    assert not authenticated._state.adding
    assert authenticated._state.db == stored._state.db


def test_no_header_is_401_naming_the_scheme(api_client, backend, db):
    response = api_client.get(HELLO_URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].split()[0] == backend.scheme
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "header",
    [
        "{scheme}",
        "{scheme} a b",
        "{scheme} " + "0" * 40,
        "{scheme} " + "0" * 64,
        # UTF-8 bytes as a WSGI server delivers them: decoded as Latin-1.
        "{scheme} " + "ключ".encode().decode("latin-1"),
        "{scheme} \xff\xfe\xfd",
    ],
    ids=["no-key", "key-with-space", "unknown-40", "unknown-64", "utf8-bytes", "invalid-utf8"],
)
def test_malformed_or_unknown_token_is_401_json(api_client, backend, db, header):
    response = api_client.get(HELLO_URL, HTTP_AUTHORIZATION=header.format(scheme=backend.scheme))

    assert response.status_code == 401
    assert "detail" in response.json()


def test_valid_token_with_the_wrong_scheme_is_401(api_client, backend, token):
    wrong_scheme = "Bearer" if backend.scheme == "Token" else "Token"

    response = api_client.get(HELLO_URL, HTTP_AUTHORIZATION=f"{wrong_scheme} {token}")

    assert response.status_code == 401


@pytest.mark.parametrize("parameter", ["token", "access_token"])
def test_token_in_the_query_string_is_ignored(api_client, token, parameter):
    response = api_client.get(HELLO_URL, {parameter: token})

    assert response.status_code == 401


def test_token_of_a_deactivated_user_is_401(api_client, backend, token, user):
    user.is_active = False
    user.save()
    backend.authorize(api_client, token)

    response = api_client.get(HELLO_URL)

    assert response.status_code == 401


def test_deactivating_a_user_revokes_their_tokens(api_client, backend, token, user):
    """Wherever it is done (the admin, a shell): reactivating the account later
    brings no token back."""
    user.is_active = False
    user.save()
    user.is_active = True
    user.save()
    backend.authorize(api_client, token)

    response = api_client.get(HELLO_URL)

    assert response.status_code == 401


def test_expired_token_is_401(api_client, backend, token):
    backend.authorize(api_client, token)
    later = timezone.now() + backend.lifetime + timedelta(seconds=1)

    with time_machine.travel(later, tick=False):
        response = api_client.get(HELLO_URL)

    assert response.status_code == 401


def test_token_is_still_valid_just_before_it_expires(api_client, backend, token):
    backend.authorize(api_client, token)
    almost = timezone.now() + backend.lifetime - timedelta(seconds=5)

    with time_machine.travel(almost, tick=False):
        response = api_client.get(HELLO_URL)

    assert response.status_code == 200


def test_logout_revokes_the_token(authenticated_client, backend, login):
    response = authenticated_client.post(LOGOUT_URL, backend.logout_data(login), format="json")

    assert response.status_code == 204
    assert authenticated_client.get(HELLO_URL).status_code == 401


def test_logout_needs_a_token(api_client, db):
    response = api_client.post(LOGOUT_URL)

    assert response.status_code == 401


def test_login_after_logout_issues_a_new_token(api_client, backend, credentials, login, token):
    backend.authorize(api_client, token)
    api_client.post(LOGOUT_URL, backend.logout_data(login), format="json")
    api_client.credentials()

    new_token = backend.token_of(backend.login(api_client, credentials))

    assert new_token != token
    backend.authorize(api_client, new_token)
    assert api_client.get(HELLO_URL).status_code == 200


def test_logout_all_revokes_every_token_of_the_user(api_client, backend, credentials, token):
    other_device = backend.token_of(backend.login(api_client, credentials))
    backend.authorize(api_client, token)

    response = api_client.post(LOGOUT_ALL_URL)

    assert response.status_code == 204
    for revoked in (token, other_device):
        backend.authorize(api_client, revoked)
        assert api_client.get(HELLO_URL).status_code == 401


def test_logout_all_leaves_other_users_tokens_alone(api_client, backend, token, token_for):
    others = [token_for(UserFactory.create()) for _ in range(2)]
    backend.authorize(api_client, token)

    assert api_client.post(LOGOUT_ALL_URL).status_code == 204

    for other in others:
        backend.authorize(api_client, other)
        assert api_client.get(HELLO_URL).status_code == 200


def test_logout_all_needs_a_token(api_client, db):
    assert api_client.post(LOGOUT_ALL_URL).status_code == 401


def test_password_change_revokes_every_token(api_client, backend, credentials, token, password):
    other_device = backend.token_of(backend.login(api_client, credentials))
    backend.authorize(api_client, token)
    change = {"current_password": password, "new_password": "a-brand-new-passphrase"}

    response = api_client.post(PASSWORD_URL, change, format="json")

    assert response.status_code in (200, 204)
    for revoked in (token, other_device):
        backend.authorize(api_client, revoked)
        assert api_client.get(HELLO_URL).status_code == 401
    api_client.credentials()
    backend.login(api_client, {**credentials, "password": "a-brand-new-passphrase"})


def test_password_change_needs_the_current_password(authenticated_client, token):
    change = {"current_password": "not-the-password", "new_password": "a-brand-new-passphrase"}

    response = authenticated_client.post(PASSWORD_URL, change, format="json")

    assert response.status_code == 400
    assert "current_password" in response.json()
    assert authenticated_client.get(HELLO_URL).status_code == 200


def test_password_change_applies_the_password_validators(authenticated_client, password):
    change = {"current_password": password, "new_password": "123"}

    response = authenticated_client.post(PASSWORD_URL, change, format="json")

    assert response.status_code == 400
    assert "new_password" in response.json()


def test_password_reset_revokes_every_token_of_the_user(
    api_client, backend, credentials, token, user, reset_password
):
    other_device = backend.token_of(backend.login(api_client, credentials))

    assert reset_password(user, "a-brand-new-passphrase").status_code == 204

    for revoked in (token, other_device):
        backend.authorize(api_client, revoked)
        assert api_client.get(HELLO_URL).status_code == 401
    api_client.credentials()
    backend.login(api_client, {**credentials, "password": "a-brand-new-passphrase"})


def test_password_change_needs_a_token(api_client, db):
    assert api_client.post(PASSWORD_URL, {}, format="json").status_code == 401
