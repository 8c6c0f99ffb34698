from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

HEALTH_URL = reverse("health")
LIVE_URL = reverse("health-live")
READY_URL = reverse("health-ready")


def test_health_is_ok_when_database_and_cache_answer(api_client, db):
    response = api_client.get(HEALTH_URL)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_health_ignores_a_stale_token(api_client, db):
    response = api_client.get(HEALTH_URL, HTTP_AUTHORIZATION="Token stale")

    assert response.status_code == 200


def test_health_is_503_json_when_the_database_is_down(api_client, db):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = api_client.get(HEALTH_URL)

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unavailable", "cache": "ok"}


def test_health_is_503_json_when_the_cache_is_down(api_client, db):
    with mock.patch("django.core.cache.cache.set", side_effect=ConnectionError("refused")):
        response = api_client.get(HEALTH_URL)

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable"}


def test_liveness_touches_nothing(api_client):
    """No `db` fixture: a database query would fail the test."""
    with mock.patch("django.core.cache.cache.set", side_effect=ConnectionError("refused")):
        response = api_client.get(LIVE_URL, HTTP_AUTHORIZATION="Token stale")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {}}


def test_readiness_is_ok_when_database_cache_and_task_queue_answer(api_client, db):
    response = api_client.get(READY_URL)

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "task_queue": "ok"},
    }


@pytest.mark.parametrize(
    ("target", "error", "checks"),
    [
        (
            "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
            OperationalError("connection refused"),
            # The queue lives in the database.
            {"database": "unavailable", "cache": "ok", "task_queue": "unavailable"},
        ),
        (
            "django.core.cache.cache.set",
            ConnectionError("refused"),
            {"database": "ok", "cache": "unavailable", "task_queue": "ok"},
        ),
        (
            "django_tasks_db.models.DBTaskResult.objects.exists",
            OperationalError("no such table: django_tasks_database_dbtaskresult"),
            {"database": "ok", "cache": "ok", "task_queue": "unavailable"},
        ),
    ],
    ids=["database-down", "cache-down", "task-queue-not-migrated"],
)
def test_readiness_is_503_naming_what_failed(api_client, db, target, error, checks):
    with mock.patch(target, side_effect=error):
        ready = api_client.get(READY_URL)
        live = api_client.get(LIVE_URL)

    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "checks": checks}
    assert live.status_code == 200
