"""The authorization endpoint's login page: a Django form, CSRF-protected, limited
like any login (tests/test_throttling.py runs the shared limits against it)."""

import re

import pytest
from django.test import Client

from .conftest import LOGIN_FIELD, UNKNOWN_LOGIN

LOGIN_PAGE = "/o/login/"


def test_the_page_is_a_form_without_external_assets(client, db):
    page = client.get(LOGIN_PAGE)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert "http://" not in html
    assert "https://" not in html
    # Scripts, if any, are the page's own (a passkey's button): none is fetched.
    assert not re.search(r"<script[^>]*\bsrc=", html)


def test_a_login_needs_the_csrf_token(credentials, user):
    browser = Client(enforce_csrf_checks=True)
    form = {"username": user.get_username(), "password": credentials["password"]}

    response = browser.post(LOGIN_PAGE, form)

    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session


def test_bad_credentials_all_look_the_same(client, backend, user, password):
    wrong_password = backend.attempt(client, {LOGIN_FIELD: user.get_username(), "password": "x"})
    unknown_user = backend.attempt(client, {LOGIN_FIELD: UNKNOWN_LOGIN, "password": password})
    user.is_active = False
    user.save()
    inactive_user = backend.attempt(
        client, {LOGIN_FIELD: user.get_username(), "password": password}
    )

    pages = [wrong_password, unknown_user, inactive_user]
    assert {page.status_code for page in pages} == {200}
    errors = [page.context["form"].non_field_errors() for page in pages]
    assert errors[0] == errors[1] == errors[2]


def test_the_page_never_echoes_the_password(client, backend, user):
    response = backend.attempt(
        client, {LOGIN_FIELD: user.get_username(), "password": "s3cret-typo"}
    )

    assert "s3cret-typo" not in response.content.decode()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/"])
def test_the_login_never_sends_the_browser_off_site(client, credentials, user, next_url):
    form = {"username": user.get_username(), "password": credentials["password"], "next": next_url}

    response = client.post(LOGIN_PAGE, form)

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
