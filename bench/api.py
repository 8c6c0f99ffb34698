"""Token authentication under load and in process, per backend, on SQLite and PostgreSQL.

Each backend's project is rendered, migrated and served by gunicorn with
production settings plus two routes the bench adds through its own URL
configuration (never shipped in generated projects): the same hello view with no
authentication (the baseline), with the project's authentication but without the
default per-user throttle (what authentication alone costs), and with the
library's stock authentication class.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from harness.backends import BACKENDS
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

DATABASES = ("sqlite", "postgresql")

BENCH_SETTINGS = """\
from .production import *  # noqa: F403

ROOT_URLCONF = "config.bench_urls"
"""

BENCH_URLS = """\
from django.urls import path
from django.utils.module_loading import import_string
from rest_framework.permissions import AllowAny

from config.urls import urlpatterns as project_urlpatterns
from {slug}.api.views import HelloView

urlpatterns = [
    path(
        "bench/open/",
        HelloView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
    ),
    path("bench/unthrottled/", HelloView.as_view(throttle_classes=[])),
    path("bench/stock/", HelloView.as_view(authentication_classes=[import_string("{stock}")])),
    *project_urlpatterns,
]
"""


@dataclass(frozen=True)
class Result:
    backend: str
    database: str
    open: load.Load
    project: load.Load
    unthrottled: load.Load
    stock: load.Load
    in_process: dict[str, Any]


def stock_name(backend: str) -> str:
    return BACKENDS[backend].stock_authentication.rsplit(".", 1)[-1]


def measure_one(scratch: Path, backend: str, database: str) -> Result:
    project = render_project(
        scratch / f"api-{backend}-{database}", {"auth_backend": backend, "database": database}
    )
    slug = "my_api"
    venv = project_venv(project)
    (project / "config" / "settings" / "bench.py").write_text(BENCH_SETTINGS)
    (project / "config" / "bench_urls.py").write_text(
        BENCH_URLS.format(slug=slug, stock=BACKENDS[backend].stock_authentication)
    )
    url = (
        postgres_url(f"bench_{uuid.uuid4().hex[:8]}")
        if database == "postgresql"
        else f"sqlite:///{project / 'bench.sqlite3'}"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DJANGO_ENV_FILE": os.devnull,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "JWT_SIGNING_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        **PRODUCTION_MAIL,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_CACHE_URL": "dbcache://django_cache",
        # Counted on every request, as in production, but never reached. Caution:
        # DRF's throttle keeps every request of the window in the user's history,
        # so one token at thousands of requests a second writes a list of tens of
        # thousands of timestamps each time (a run on 2026-12-07: hello fell from
        # 2,156 to 323 req/s on SQLite), where the default 120/minute keeps at most
        # 120. A fair figure needs many users, each under the limit: to do.
        "DJANGO_THROTTLE_USER": "100000000/minute",
        "DATABASE_URL": url,
    }
    if database == "postgresql":
        create_postgres_database(url)
    try:
        for step in (["migrate"], ["createcachetable"]):
            result = run(project, venv, "python", "manage.py", *step, **env)
            assert result.returncode == 0, output(result)
        registry_entry = json.dumps(asdict(BACKENDS[backend]))
        result = run(
            project,
            venv,
            "python",
            Path(__file__).with_name("issue.py"),
            slug,
            registry_entry,
            PYTHONPATH=str(project),
            **env,
        )
        assert result.returncode == 0, output(result)
        token = result.stdout.strip().splitlines()[-1]
        result = run(
            project,
            venv,
            "python",
            Path(__file__).with_name("inprocess.py"),
            slug,
            registry_entry,
            PYTHONPATH=str(project),
            **env,
        )
        assert result.returncode == 0, output(result)
        # Its last line: the production settings log to stdout too.
        in_process = json.loads(result.stdout.splitlines()[-1])
        header = {"Authorization": f"{BACKENDS[backend].scheme} {token}"}
        with load.gunicorn(project, venv, env):
            open_load = load.measure("/bench/open/", {})
            project_load = load.measure("/api/hello/", header)
            unthrottled_load = load.measure("/bench/unthrottled/", header)
            stock_load = load.measure("/bench/stock/", header)
    finally:
        if database == "postgresql":
            drop_postgres_database(url)
    return Result(
        backend, database, open_load, project_load, unthrottled_load, stock_load, in_process
    )


def measure(scratch: Path, figures: Figures) -> str:
    results = []
    for database in DATABASES:
        for backend in BACKENDS:
            print(f"  {backend} on {database}", file=sys.stderr)
            results.append(measure_one(scratch, backend, database))
    for result in results:
        if result.backend == "authtoken":
            floor = result.in_process["floor_us"]
            figures.auth_floor_ratio[result.database] = result.in_process["project_us"] / floor
            figures.auth_instances_ratio[result.database] = (
                result.in_process["floor_and_instances_us"] / floor
            )
            # Authentication alone: the user throttle is measured apart.
            figures.auth_throughput_ratio[result.database] = (
                result.unthrottled.requests_per_second / result.open.requests_per_second
            )
            figures.throttle_throughput_ratio[result.database] = (
                result.project.requests_per_second / result.unthrottled.requests_per_second
            )
    return report(results)


def versions(results: list[Result]) -> str:
    found: dict[str, str] = {}
    for result in results:
        found |= result.in_process["versions"]
    return ", ".join(f"{name} {version}" for name, version in sorted(found.items()))


def report(results: list[Result]) -> str:
    throughput = [
        "| database | authentication | requests/s | x no auth | p50 ms | p99 ms | failed |",
        "|---|---|---|---|---|---|---|",
    ]
    overhead = [
        "| database | backend | floor µs | floor + instances µs | this project µs | x floor "
        "| stock µs | x floor | queries per request |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        rows = [
            ("none (AllowAny, same view)", result.open),
            (f"{result.backend}: this project, without the user throttle", result.unthrottled),
            (f"{result.backend}: this project (hello as generated)", result.project),
            (f"{result.backend}: stock `{stock_name(result.backend)}`", result.stock),
        ]
        for name, measured in rows:
            ratio = measured.requests_per_second / result.open.requests_per_second
            throughput.append(
                f"| {result.database} | {name} | {measured.requests_per_second:.0f} | {ratio:.2f}x "
                f"| {measured.p50_ms:.2f} | {measured.p99_ms:.2f} | {measured.failed} |"
            )
        numbers = result.in_process
        floor = float(numbers["floor_us"])
        ours = float(numbers["project_us"])
        instances = float(numbers["floor_and_instances_us"])
        stock = float(numbers["stock_us"])
        overhead.append(
            f"| {result.database} | {result.backend} | {floor:.0f} | {instances:.0f} | {ours:.0f} "
            f"| {ours / floor:.1f}x | {stock:.0f} | {stock / floor:.1f}x | {numbers['queries']} |"
        )
    return "\n".join(
        [
            "## Token authentication under load",
            "",
            f"`GET` of the hello view from {load.tool()}, {load.CONNECTIONS} connections for "
            f"{load.SECONDS} s after a {load.WARM_UP_SECONDS} s warm-up, gunicorn with 2 sync "
            "workers on loopback, production settings (`bench/api.py`). Each backend's rows come "
            "from one server: the view with no authentication; with the project's authentication "
            "class and no throttle; as generated (authentication and the default throttle per "
            "signed-in user, whose count the database cache reads and writes on every request, "
            "its rate set out of reach); and with the library's stock class (with the throttle). "
            "`failed`: responses other than 2xx/3xx and socket errors.",
            f"Generated projects' versions: {versions(results)}.",
            "",
            *throughput,
            "",
            "## Authentication cost in process",
            "",
            "The time of one `authenticate()` call (the best of 9 rounds of 2,000 calls, the "
            "four measures taking turns in each round, "
            "with the garbage collector off, as timeit does; `bench/inprocess.py`), against the "
            "floor: one raw indexed SELECT of the same rows (the token and its user; for JWT, the "
            "user and its token generation; for OAuth2, the token by the checksum of the key, its "
            "user and its client) through Django's cursor, timed in the same process. "
            "`floor + instances` is that SELECT with its row turned into model instances the "
            "way the ORM does it (the database's converters, then `Model.from_db`): the least "
            "an authentication class that hands DRF a user instance can cost. JWT's own cost "
            "above it is mostly verifying the signature; OAuth2's, django-oauth-toolkit's "
            "validator (an oauthlib request, the expiry, audience and client checks) and the "
            "key's SHA-256. Queries are counted over one whole authenticated request.",
            "",
            *overhead,
        ]
    )
