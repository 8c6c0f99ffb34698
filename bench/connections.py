"""PostgreSQL connection handling under gunicorn: new connection per request,
persistent connections (CONN_MAX_AGE), or Django's psycopg pool."""

from __future__ import annotations

import http.client
import os
import secrets
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from copier import run_copy

from tests.harness import (
    REPO_ROOT,
    create_postgres_database,
    drop_postgres_database,
    output,
    postgres_url,
    project_env,
    project_venv,
    run,
)

SECONDS = 5
CLIENTS = 8
MODES = {
    "CONN_MAX_AGE=0 (Django's default)": 'DATABASES["default"]["CONN_MAX_AGE"] = 0',
    "CONN_MAX_AGE=60, health checks (the template's choice)": "",
    "psycopg pool (OPTIONS pool=True)": (
        'DATABASES["default"]["CONN_MAX_AGE"] = 0\nDATABASES["default"]["OPTIONS"] = {"pool": True}'
    ),
}


def load(port: int, token: str) -> tuple[int, int]:
    """Authenticated GET /api/hello/ from CLIENTS threads for SECONDS: (ok, other)."""
    counts = {"ok": 0, "other": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def client():
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/api/hello/", headers={"Authorization": f"Token {token}"})
            status = connection.getresponse().status
            connection.close()
            with lock:
                counts["ok" if status == 200 else "other"] += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts["ok"], counts["other"]


def measure(scratch: Path) -> str:
    project = scratch / "project"
    run_copy(
        str(REPO_ROOT),
        project,
        data={"database": "postgresql"},
        defaults=True,
        unsafe=True,
        quiet=True,
        vcs_ref="HEAD",
    )
    venv = project_venv(project, extra=("psycopg-pool>=3.2,<4",))
    database = postgres_url(f"bench_{uuid.uuid4().hex[:8]}")
    create_postgres_database(database)
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DJANGO_ENV_FILE": os.devnull,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database,
        "GUNICORN_WORKERS": "2",
        "GUNICORN_BIND": "127.0.0.1:8765",
    }
    rows = []
    try:
        (project / "config" / "settings" / "bench.py").write_text(
            "from .production import *  # noqa: F403\n"
        )
        for step in (["migrate"], ["createcachetable"]):
            result = run(project, venv, "python", "manage.py", *step, **env)
            assert result.returncode == 0, output(result)
        script = (
            "from django.contrib.auth import get_user_model; from rest_framework.authtoken."
            "models import Token; u = get_user_model().objects.create_user('bench', "
            "password='bench-password-1'); print(Token.objects.create(user=u).key)"
        )
        result = run(project, venv, "python", "manage.py", "shell", "-c", script, **env)
        token = result.stdout.strip().splitlines()[-1]
        for mode, override in MODES.items():
            print(f"  {mode}: {SECONDS} s of load after a warm-up", file=sys.stderr)
            (project / "config" / "settings" / "bench.py").write_text(
                "from .production import *  # noqa: F403\n"
                "from .production import DATABASES\n" + override + "\n"
            )
            server = subprocess.Popen(
                [str(venv / "bin" / "gunicorn")],
                cwd=project,
                env=project_env(venv, **env),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                wait_until_up(8765)
                load(8765, token)  # warm up the workers
                ok, other = load(8765, token)
            finally:
                server.terminate()
                server.wait(10)
            rows.append(f"| {mode} | {ok / SECONDS:.0f} | {other} |")
    finally:
        drop_postgres_database(database)
    return "\n".join(
        [
            "## PostgreSQL connections under gunicorn",
            "",
            f"`GET /api/hello/` with a DRF token, {CLIENTS} concurrent clients from loopback for "
            f"{SECONDS} s, gunicorn with 2 sync workers, production settings, PostgreSQL on "
            "loopback (`bench/connections.py`).",
            "",
            "| connections | requests/s | non-200 |",
            "|---|---|---|",
            *rows,
            "",
            "gunicorn's sync workers serve one request at a time per process, so a pool per "
            "process holds one busy connection at most: persistent connections give the same "
            "reuse with less machinery, and `CONN_HEALTH_CHECKS` drops a connection that died "
            "(a database restart) before reuse.",
        ]
    )


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/health/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {port} did not answer")
