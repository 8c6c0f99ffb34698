"""The user's own account: profile changes limited to the profile, deletion behind
the current password."""

import importlib

import pytest
from django.contrib.auth import get_user_model

from .conftest import HELLO_URL, LOGIN_FIELD, ME_URL, PASSWORD_URL

TOO_LONG = "x" * 4097


@pytest.fixture
def hashed(monkeypatch):
    """The length of every password hashed or checked from here on."""
    lengths = []
    for module in ("django.contrib.auth.hashers", "django.contrib.auth.base_user"):
        for name in ("make_password", "check_password"):
            original = getattr(importlib.import_module(module), name)

            def recording(password, *args, _original=original, **kwargs):
                lengths.append(len(password or ""))
                return _original(password, *args, **kwargs)

            monkeypatch.setattr(f"{module}.{name}", recording)
    return lengths


def test_me_is_never_cached(authenticated_client):
    """Personal data: no shared cache or browser history keeps it."""
    response = authenticated_client.get(ME_URL)

    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", PASSWORD_URL, {"current_password": TOO_LONG, "new_password": "long-enough-new-1"}),
        ("post", PASSWORD_URL, {"current_password": "whatever-it-is", "new_password": TOO_LONG}),
        ("delete", ME_URL, {"current_password": TOO_LONG}),
    ],
    ids=["current-password", "new-password", "deletion"],
)
def test_a_password_over_4096_characters_is_a_400_before_any_hash(
    authenticated_client, hashed, method, url, body
):
    response = getattr(authenticated_client, method)(url, body, format="json")

    assert response.status_code == 400
    assert set(response.json()) & set(body)
    assert max(hashed, default=0) <= 4096


def test_a_login_with_a_password_over_4096_characters_hashes_nothing(
    api_client, backend, credentials, hashed
):
    """Wrong credentials, answered before any hash."""
    response = backend.attempt(api_client, {**credentials, "password": TOO_LONG})

    assert response.status_code in (200, 400, 401)  # 200: the login page, with its error
    assert not response["Content-Type"].startswith("application/json") or (
        response.status_code != 200
    )
    assert max(hashed, default=0) <= 4096


def test_me_shows_the_account(authenticated_client, user):
    response = authenticated_client.get(ME_URL)

    assert response.status_code == 200
    assert response.json()["first_name"] == "Alice"


def test_the_profile_changes_with_patch(authenticated_client, user):
    response = authenticated_client.patch(
        ME_URL, {"first_name": "Alicia", "last_name": "Liddell"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["first_name"], response.json()["last_name"]) == ("Alicia", "Liddell")
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Alicia", "Liddell")


def test_an_empty_patch_changes_nothing(authenticated_client, user):
    response = authenticated_client.patch(ME_URL, {}, format="json")

    assert response.status_code == 200
    assert response.json()["first_name"] == "Alice"


@pytest.mark.parametrize(
    "field",
    ["is_staff", "is_superuser", "is_active", "email", "password", LOGIN_FIELD, "id", "nickname"],
)
def test_any_other_field_is_refused_not_ignored(authenticated_client, user, field):
    before = get_user_model().objects.filter(pk=user.pk).values().get()

    response = authenticated_client.patch(
        ME_URL, {"first_name": "Mallory", field: "1"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert get_user_model().objects.filter(pk=user.pk).values().get() == before


@pytest.mark.parametrize("value", [0, 1.5, True, ["Alicia"], {"name": "Alicia"}, None])
def test_names_must_be_text(authenticated_client, user, value):
    """DRF's CharField would store a JSON number as its digits; the schema says string."""
    response = authenticated_client.patch(ME_URL, {"last_name": value}, format="json")

    assert response.status_code == 400
    assert "last_name" in response.json()


def test_names_longer_than_the_column_are_a_400(authenticated_client, user):
    response = authenticated_client.patch(ME_URL, {"first_name": "A" * 151}, format="json")

    assert response.status_code == 400
    assert "first_name" in response.json()


def test_the_profile_takes_json_only(authenticated_client, user):
    form = "first_name=&last_name=Liddell"
    response = authenticated_client.patch(
        ME_URL, form, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    user.refresh_from_db()
    assert user.first_name == "Alice"


def test_put_is_not_offered(authenticated_client):
    response = authenticated_client.put(ME_URL, {"first_name": "Alicia"}, format="json")

    assert response.status_code == 405


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_me_needs_a_token(api_client, db, method):
    response = getattr(api_client, method)(ME_URL, {}, format="json")

    assert response.status_code == 401


def test_delete_with_the_password_removes_the_account_and_its_tokens(
    authenticated_client, user, password
):
    response = authenticated_client.delete(ME_URL, {"current_password": password}, format="json")

    assert response.status_code == 204
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert authenticated_client.get(HELLO_URL).status_code == 401


@pytest.mark.parametrize(
    "body", [{}, {"current_password": "not-the-password"}, {"current_password": ""}]
)
def test_delete_without_the_right_password_is_a_400(authenticated_client, user, body):
    response = authenticated_client.delete(ME_URL, body, format="json")

    assert response.status_code == 400
    assert "current_password" in response.json()
    assert get_user_model().objects.filter(pk=user.pk).exists()
    assert authenticated_client.get(HELLO_URL).status_code == 200
