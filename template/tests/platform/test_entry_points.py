"""The servers' entry points: config/wsgi.py (gunicorn) and config/asgi.py, each
serving a real request."""

import asyncio
import io
import json
from contextlib import contextmanager

import pytest
from asgiref.testing import ApplicationCommunicator
from django.core import signals
from django.db import close_old_connections


@contextmanager
def connections_kept_open():
    """A real handler closes database connections at each request's start and end, which
    would close the test's transaction; Django's test client holds them open the same way."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


def test_the_wsgi_application_serves_a_request(db):
    from config.wsgi import application

    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)
        return lambda data: None

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/health/",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(),
    }
    with connections_kept_open():
        body = b"".join(application(environ, start_response))

    assert statuses == ["200 OK"]
    assert json.loads(body)["status"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_the_asgi_application_serves_a_request():
    from config.asgi import application

    async def get_health():
        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": "GET",
            "path": "/api/health/",
            "query_string": b"",
            "headers": [(b"host", b"testserver")],
            "server": ("localhost", 80),
        }
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(timeout=10)
        body = await communicator.receive_output(timeout=10)
        await communicator.wait(timeout=10)  # the handler closes the request body it spooled
        return start, body

    start, body = asyncio.run(get_health())

    assert start["status"] == 200
    assert json.loads(body["body"])["status"] == "ok"
