"""Password-reset mail: whether the request's timing tells an existing account from
an unknown one, and how long a reset link takes to reach the mail server.

The default project with production settings on SQLite, served by gunicorn, its
mail going to an SMTP server on loopback (aiosmtpd). The reset limits are raised
so that no request is throttled.
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from harness.mail import smtp_server, worker
from harness.runner import output, project_venv, run

from . import load
from .operations import gunicorn
from .project import render_project
from .targets import Figures

PAIRS = 1_200  # requests for each kind, interleaved
BLOCKS = 6  # the run cut in blocks, whose differences of medians give its noise
DELIVERIES = 20
INTERVALS = (1.0, 0.1)  # db_worker's default, and a tenth of it
KNOWN, UNKNOWN = "alice@example.com", "nobody@example.com"
DROP_QUEUE = "from django_tasks_db.models import DBTaskResult; DBTaskResult.objects.all().delete()"


@dataclass(frozen=True)
class Timing:
    known_ms: float  # median
    unknown_ms: float
    block_differences_ms: list[float]  # known - unknown, per block

    @property
    def difference_ms(self) -> float:
        return self.known_ms - self.unknown_ms

    @property
    def noise_ms(self) -> float:
        """The largest difference of medians between blocks of the same run."""
        return max(self.block_differences_ms) - min(self.block_differences_ms)


def prepare(scratch: Path, smtp_port: int) -> tuple[Path, Path, dict[str, str]]:
    project = render_project(scratch / "mail", {})
    venv = project_venv(project)
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_ENV_FILE": os.devnull,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{project / 'bench.sqlite3'}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DJANGO_DEFAULT_FROM_EMAIL": "noreply@example.com",
        "FRONTEND_URL": "https://app.example.com",
        "DJANGO_THROTTLE_MAIL_CLIENT": "1000000/minute",
        "DJANGO_THROTTLE_MAIL_ACCOUNT": "1000000/minute",
        "DJANGO_THROTTLE_MAIL_INBOX": "1000000/minute",
    }
    superuser = {
        "DJANGO_SUPERUSER_USERNAME": "alice",
        "DJANGO_SUPERUSER_EMAIL": KNOWN,
        "DJANGO_SUPERUSER_PASSWORD": secrets.token_urlsafe(16),
    }
    for step in (["migrate"], ["createcachetable"], ["createsuperuser", "--noinput"]):
        result = run(project, venv, "python", "manage.py", *step, **env, **superuser)
        assert result.returncode == 0, output(result)
    return project, venv, env


def request_reset(email: str) -> float:
    """Seconds one reset request takes, from sending to the whole answer."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{load.PORT}/api/auth/password/reset/",
        data=f'{{"email": "{email}"}}'.encode(),
        headers={"Content-Type": "application/json"},
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        response.read()
        assert response.status == 202
    return time.perf_counter() - start


def measure_timing() -> Timing:
    for _ in range(50):  # warm up both paths
        request_reset(KNOWN)
        request_reset(UNKNOWN)
    times: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
    for n in range(PAIRS):
        # Interleaved, and which goes first alternates.
        for email in (KNOWN, UNKNOWN) if n % 2 else (UNKNOWN, KNOWN):
            times[email].append(request_reset(email) * 1000)
    size = PAIRS // BLOCKS
    blocks = [
        statistics.median(times[KNOWN][i : i + size])
        - statistics.median(times[UNKNOWN][i : i + size])
        for i in range(0, size * BLOCKS, size)
    ]
    return Timing(statistics.median(times[KNOWN]), statistics.median(times[UNKNOWN]), blocks)


def measure(scratch: Path, figures: Figures) -> str:
    with smtp_server() as (inbox, port):
        project, venv, env = prepare(scratch, port)
        logs = project / "logs"
        logs.mkdir()
        with gunicorn(project, venv, env, logs / "gunicorn.log"):
            print("  reset timing, known and unknown accounts", file=sys.stderr)
            timing = measure_timing()
            # The mail the timing run queued is dropped, not sent.
            result = run(project, venv, "python", "manage.py", "shell", "-c", DROP_QUEUE, **env)
            assert result.returncode == 0, output(result)
            deliveries: dict[float, list[float]] = {}
            for interval in INTERVALS:
                print(f"  delivery, worker polling every {interval} s", file=sys.stderr)
                with worker(project, venv, logs / f"worker-{interval}.log", interval, **env):
                    request_reset(KNOWN)  # once the worker has started
                    inbox.next(timeout=60)
                    deliveries[interval] = []
                    for _ in range(DELIVERIES):
                        start = time.perf_counter()
                        request_reset(KNOWN)
                        inbox.next(timeout=60)
                        deliveries[interval].append(time.perf_counter() - start)
    figures.reset_timing_difference_ms = timing.difference_ms
    figures.reset_timing_noise_ms = timing.noise_ms
    return report(timing, deliveries)


def report(timing: Timing, deliveries: dict[float, list[float]]) -> str:
    lines = [
        "## Password-reset mail",
        "",
        "The default project with production settings on SQLite, gunicorn's sync workers, "
        f"one client. Timing: {PAIRS:,} reset requests for an existing account and "
        f"{PAIRS:,} for an unknown address, interleaved (which goes first alternates), "
        "with no worker running; each answers `202` with the same body and queues the same "
        f"task. Noise: the run cut in {BLOCKS} blocks, the spread of the blocks' own "
        "differences of medians.",
        "",
        "| existing account, median | unknown address, median | difference | noise |",
        "|---|---|---|---|",
        f"| {timing.known_ms:.2f} ms | {timing.unknown_ms:.2f} ms "
        f"| {timing.difference_ms:+.3f} ms | {timing.noise_ms:.3f} ms |",
        "",
        f"Delivery: {DELIVERIES} resets, each from the request sent to the message received "
        "by the SMTP server, with `manage.py db_worker` running beside gunicorn (after one "
        "reset that waits for the worker to start). The worker finds a task at its next "
        "look at the queue: the polling interval sets the time.",
        "",
        "| worker polls every | median | slowest |",
        "|---|---|---|",
    ]
    for interval, seconds in deliveries.items():
        note = " (db_worker's default)" if interval == 1.0 else ""
        lines.append(
            f"| {interval:g} s{note} | {statistics.median(seconds) * 1000:.0f} ms "
            f"| {max(seconds) * 1000:.0f} ms |"
        )
    return "\n".join(lines)
