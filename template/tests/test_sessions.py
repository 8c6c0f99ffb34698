"""Every "revoke everything" ends the user's Django sessions too (the admin's, the
browsable API's, a login page's), not only their tokens; a session ended stays
ended when the account comes back. Sessions know their user (users/sessions.py)."""

import sys
from datetime import datetime, timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session as DjangoSession
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .conftest import LOGOUT_ALL_URL, ME_URL, PASSWORD_URL

ADMIN_URL = reverse("admin:index")
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


@pytest.fixture
def staff(user):
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def browser_of(user):
    """A browser logged in to the admin as `user`."""
    browser = Client()
    browser.force_login(user)
    assert in_admin(browser)
    return browser


def in_admin(browser):
    return browser.get(ADMIN_URL).status_code == 200


def session_exists(browser):
    return SessionStore().exists(browser.session.session_key)


@pytest.fixture
def browser(staff):
    return browser_of(staff)


@pytest.fixture
def bystander(django_user_model, db):
    """Another staff user's browser: nothing here may end it."""
    other = django_user_model.objects.create_superuser(
        **{django_user_model.USERNAME_FIELD: "bob@example.com"},
        **({"email": "bob@example.com"} if django_user_model.USERNAME_FIELD != "email" else {}),
        password="another-long-passphrase",
    )
    return browser_of(other)


def test_logout_all_ends_every_session_of_the_user(browser, bystander, authenticated_client):
    assert authenticated_client.post(LOGOUT_ALL_URL).status_code == 204

    assert not in_admin(browser)
    assert not session_exists(browser)
    assert in_admin(bystander)


def test_a_password_change_by_token_ends_every_session(browser, authenticated_client, password):
    change = {"current_password": password, "new_password": "a-brand-new-passphrase"}

    assert authenticated_client.post(PASSWORD_URL, change, format="json").status_code in (200, 204)

    assert not session_exists(browser)


def test_a_password_reset_ends_every_session(browser, bystander, staff, reset_password):
    assert reset_password(staff, "a-brand-new-passphrase").status_code == 204

    assert not session_exists(browser)
    assert in_admin(bystander)


def test_a_deactivated_account_keeps_no_session_to_come_back_to(browser, bystander, staff):
    staff.is_active = False
    staff.save()
    staff.is_active = True
    staff.save()

    assert not in_admin(browser)
    assert in_admin(bystander)


def test_deleting_the_account_deletes_its_sessions(browser, authenticated_client, password):
    response = authenticated_client.delete(ME_URL, {"current_password": password}, format="json")

    assert response.status_code == 204
    assert not session_exists(browser)


def test_a_session_records_its_user_and_an_anonymous_one_none(browser, staff):
    anonymous = SessionStore()
    anonymous["seen"] = True
    anonymous.save()
    model = SessionStore.get_model_class()

    assert model.objects.get(pk=browser.session.session_key).user == staff
    assert model.objects.get(pk=anonymous.session_key).user is None


def test_the_migration_moves_djangos_sessions_to_their_users(staff):
    """Upgrading logs nobody out: live sessions move, with their user; expired
    ones and those of users deleted meanwhile are dropped."""
    soon = timezone.now() + timedelta(days=1)
    rows: dict[str, tuple[dict[str, object], datetime]] = {
        "of-the-user": ({SESSION_KEY: str(staff.pk)}, soon),
        "anonymous": ({"seen": True}, soon),
        "of-a-deleted-user": ({SESSION_KEY: str(staff.pk + 1000)}, soon),
        "expired": ({SESSION_KEY: str(staff.pk)}, timezone.now() - timedelta(days=1)),
    }
    for key, (data, expiry) in rows.items():
        DjangoSession.objects.create(
            session_key=key,
            session_data=DjangoSessionStore().encode(data),
            expire_date=expiry,
        )

    migration("sessions").move_sessions_in(apps, None)

    moved = SessionStore.get_model_class().objects.all()
    assert {session.pk: session.user_id for session in moved} == {
        "of-the-user": staff.pk,
        "anonymous": None,
    }
    assert SessionStore("of-the-user").load() == {SESSION_KEY: str(staff.pk)}
    assert not DjangoSession.objects.exists()


def migration(label):
    """The module of the users app's migration `NNNN_<label>` (its number depends on
    the user model; a team's merge migration may name it too)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    [found] = [
        migration
        for (app, name), migration in loader.disk_migrations.items()
        if app == "users" and name.partition("_")[2] == label
    ]
    return sys.modules[type(found).__module__]
