from unittest import mock

from django.db import OperationalError

HEALTH_URL = "/api/health/"


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
