"""PostgreSQL connection handling under gunicorn: new connection per request,
persistent connections (CONN_MAX_AGE), or Django's psycopg pool."""

from __future__ import annotations

import os
import secrets
import sys
import uuid
from pathlib import Path

from harness.runner import (
    PRODUCTION_MAIL,
    create_postgres_database,
    drop_postgres_database,
    output,
    postgres_url,
    project_venv,
    run,
)

from . import load
from .project import render_project
from .targets import Figures

MODES = {
    "CONN_MAX_AGE=0 (Django's default)": 'DATABASES["default"]["CONN_MAX_AGE"] = 0',
    "CONN_MAX_AGE=60, health checks (the template's choice)": "",
    "psycopg pool (OPTIONS pool=True)": (
        'DATABASES["default"]["CONN_MAX_AGE"] = 0\nDATABASES["default"]["OPTIONS"] = {"pool": True}'
    ),
}
ISSUE_TOKEN = (
    "from django.contrib.auth import get_user_model; from my_api.tokens.services import "
    "issue_token; u = get_user_model().objects.create_user('bench', password='bench-password-1'); "
    "print(issue_token(u)['token'])"
)


def measure(scratch: Path, figures: Figures) -> str:
    project = render_project(scratch / "connections", {"database": "postgresql"})
    venv = project_venv(project, extra=("psycopg-pool>=3.2,<4",))
    database = postgres_url(f"bench_{uuid.uuid4().hex[:8]}")
    create_postgres_database(database)
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DJANGO_ENV_FILE": os.devnull,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        **PRODUCTION_MAIL,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_CACHE_URL": "dbcache://django_cache",
        "DATABASE_URL": database,
    }
    settings = project / "config" / "settings" / "bench.py"
    rows = []
    try:
        settings.write_text("from .production import *  # noqa: F403\n")
        for step in (["migrate"], ["createcachetable"], ["shell", "-c", ISSUE_TOKEN]):
            result = run(project, venv, "python", "manage.py", *step, **env)
            assert result.returncode == 0, output(result)
        token = result.stdout.strip().splitlines()[-1]
        for mode, override in MODES.items():
            print(f"  {mode}", file=sys.stderr)
            settings.write_text(
                "from .production import *  # noqa: F403\n"
                "from .production import DATABASES\n" + override + "\n"
            )
            with load.gunicorn(project, venv, env):
                measured = load.measure("/api/hello/", {"Authorization": f"Token {token}"})
            rows.append(
                f"| {mode} | {measured.requests_per_second:.0f} | {measured.p50_ms:.2f} "
                f"| {measured.p99_ms:.2f} | {measured.failed} |"
            )
    finally:
        drop_postgres_database(database)
    return "\n".join(
        [
            "## PostgreSQL connections under gunicorn",
            "",
            "The authtoken variant's `GET /api/hello/`, loaded as above, PostgreSQL on loopback, "
            "with three ways of holding connections (`bench/connections.py`).",
            "",
            "| connections | requests/s | p50 ms | p99 ms | failed |",
            "|---|---|---|---|---|",
            *rows,
            "",
            "gunicorn's sync workers serve one request at a time per process, so a pool per "
            "process holds one busy connection at most: persistent connections give the same "
            "reuse with less machinery, and `CONN_HEALTH_CHECKS` drops a connection that died "
            "(a database restart) before reuse.",
        ]
    )
