"""Mail as the rendered projects send it: an SMTP server on loopback (aiosmtpd) that
keeps what it receives, and the project's worker (`manage.py db_worker`)."""

from __future__ import annotations

import email
import email.policy
import queue
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

from .devserver import free_port
from .runner import project_env


class Inbox:
    """aiosmtpd's handler: every message it accepts, parsed, in a queue, with the
    recipients of its SMTP envelope (`RCPT TO`) in an `Envelope-To` header, as a
    receiving server such as Exim adds it."""

    def __init__(self) -> None:
        self.messages: queue.Queue[EmailMessage] = queue.Queue()

    async def handle_DATA(self, server, session, envelope) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        parsed["Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.put(parsed)
        return "250 Message accepted for delivery"

    def next(self, timeout: float = 60) -> EmailMessage:
        return self.messages.get(timeout=timeout)


@contextmanager
def smtp_server(host: str = "127.0.0.1") -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()  # aiosmtpd's Controller cannot start on port 0
    controller = Controller(inbox, hostname=host, port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@contextmanager
def worker(
    project: Path, venv: Path, log: Path, interval: float = 0.2, **env: str
) -> Iterator[subprocess.Popen]:
    """`manage.py db_worker`, as the generated README starts it but polling the queue
    every `interval` seconds (db_worker's default is 1); stopped with SIGTERM, which
    it must take as a graceful stop."""
    with log.open("w") as log_file:
        process = subprocess.Popen(
            ["python", "manage.py", "db_worker", "--interval", str(interval)],
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
