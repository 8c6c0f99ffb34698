"""config/probe.py, the container's health check, against a live server."""

from unittest import mock

import pytest
from django.db import OperationalError

from config.probe import main, probe_host


@pytest.fixture
def server(live_server, monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", f"0.0.0.0:{live_server.url.rpartition(':')[2]}")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "testserver,api.example.com")
    return live_server


@pytest.mark.django_db(transaction=True)
def test_both_probes_pass_when_the_services_answer(server):
    assert main("live") == 0
    assert main("ready") == 0


@pytest.mark.django_db(transaction=True)
def test_only_readiness_fails_when_the_database_is_down(server, capsys):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        assert main("ready") == 1
        assert main("live") == 0

    assert "ready: HTTP Error 503" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_a_probe_fails_when_nothing_answers(server, monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9")  # the discard port: nothing listens

    assert main("live") == 1


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ("api.example.com,localhost", "api.example.com"),
        (".example.com", "example.com"),
        ("*", "localhost"),
        (None, "localhost"),
    ],
)
def test_the_probe_sends_a_host_the_deployment_allows(monkeypatch, allowed, host):
    if allowed is None:
        monkeypatch.delenv("DJANGO_ALLOWED_HOSTS", raising=False)
    else:
        monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", allowed)

    assert probe_host() == host
