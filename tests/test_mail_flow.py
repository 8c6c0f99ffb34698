"""Password reset over real mail: a rendered project served by `runserver`, its
worker (`manage.py db_worker`) running beside it, and an SMTP server on loopback
(aiosmtpd) that receives what the worker sends. The test follows the mailed link
as the user's frontend would."""

from __future__ import annotations

import email
import email.policy
import json
import queue
import re
import signal
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from harness.devserver import DevServer, dev_server, free_port
from harness.runner import project_env
from harness.variants import VARIANTS

# Two user models and three backends, and the queue on PostgreSQL.
MAIL_VARIANTS = [
    variant
    for variant in VARIANTS
    if variant.name
    in {"default", "email-jwt-registration", "django-knox-session", "email-jwt-postgresql-py313"}
]
FRONTEND_URL = "https://app.example.com"
LINK = re.compile(re.escape(FRONTEND_URL) + r"/reset-password/([\w-]+)/([\w-]+)")
NEW_PASSWORD = "a-new-passphrase-from-the-link"


class Inbox:
    """aiosmtpd's handler: every message it accepts, parsed, in a queue."""

    def __init__(self) -> None:
        self.messages: queue.Queue[EmailMessage] = queue.Queue()

    async def handle_DATA(self, server, session, envelope) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.put(parsed)
        return "250 Message accepted for delivery"

    def next(self, timeout: float = 60) -> EmailMessage:
        return self.messages.get(timeout=timeout)


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()  # aiosmtpd's Controller cannot start on port 0
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@contextmanager
def worker(project: Path, venv: Path, log: Path, **env: str) -> Iterator[subprocess.Popen]:
    """`manage.py db_worker`, as the generated README starts it; stopped with SIGTERM,
    which it must take as a graceful stop."""
    with log.open("w") as log_file:
        process = subprocess.Popen(
            ["python", "manage.py", "db_worker", "--interval", "0.2"],
            cwd=project,
            env=project_env(venv, **env),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def call(url: str, data: dict | None = None, token_header: str | None = None):
    """(status, JSON body or None) of a JSON request, without raising on 4xx/5xx."""
    headers = {"Content-Type": "application/json"}
    if token_header:
        headers["Authorization"] = token_header
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
            content = response.read()
            return response.status, json.loads(content) if content else None
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"null")


@pytest.mark.parametrize("variant", MAIL_VARIANTS, ids=str, indirect=True)
def test_a_reset_link_sent_over_smtp_sets_a_new_password(project, venv, services, tmp_path):
    database = services.get("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with smtp_server() as (inbox, port):
        env = {
            "DATABASE_URL": database,
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "FRONTEND_URL": FRONTEND_URL,
            "DJANGO_DEFAULT_FROM_EMAIL": "My API <noreply@example.com>",
            **{name: value for name, value in services.items() if name != "DATABASE_URL"},
        }
        with (
            dev_server(project, venv, tmp_path, **env) as server,
            worker(project, venv, tmp_path / "worker.log", **env) as process,
        ):
            message, old_token = reset_by_mail(server, inbox)
            uid, token = LINK.findall(message.get_body(("plain",)).get_content())[0]
            confirm = {"uid": uid, "token": token, "new_password": NEW_PASSWORD}

            status, body = call(f"{server.url}/api/auth/password/reset/confirm/", confirm)
            assert status == 204, body
            # The link was spent; the old token is revoked; the new password logs in.
            assert call(f"{server.url}/api/auth/password/reset/confirm/", confirm)[0] == 400
            assert call(f"{server.url}/api/hello/", token_header=old_token)[0] == 401
            new_login = {**server.credentials, "password": NEW_PASSWORD}
            status, body = call(f"{server.url}/api/auth/token/", new_login)
            assert status == 200, body

        log = (tmp_path / "worker.log").read_text()
        assert process.returncode == 0, log


def reset_by_mail(server: DevServer, inbox: Inbox) -> tuple[EmailMessage, str]:
    """Log in, ask for a reset link, and receive the worker's message."""
    status, body = call(f"{server.url}/api/auth/token/", server.credentials)
    assert status == 200, body
    token_header = f"{server.backend.scheme} {body[server.backend.token_field]}"

    # An unknown address first: the same answer, and the worker sends nothing for it.
    unknown = call(f"{server.url}/api/auth/password/reset/", {"email": "nobody@example.com"})
    known = call(f"{server.url}/api/auth/password/reset/", {"email": "alice@example.com"})
    assert unknown == known
    assert known[0] == 202

    message = inbox.next()
    assert message["To"] == "alice@example.com"
    assert message["From"] == "My API <noreply@example.com>"
    assert message["Subject"] == "Reset your password"
    html = message.get_body(("html",)).get_content()
    assert LINK.search(html)
    return message, token_header
