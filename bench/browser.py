"""Browser clients: `GET /api/hello/` authenticated by the browser login's cookie,
against the same token in the `Authorization` header, in one process.

The default project with `browser_clients` on, production settings on SQLite, the
database cache, the per-user throttle raised out of the way; Django's test client
through the whole middleware stack. The two
ways take turns in each round and the best round of each is kept, so a slower
moment of the machine weighs on both alike.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from harness.runner import output, production_env, project_venv, run

from .project import render_project
from .targets import Figures

ROUNDS = 7
NUMBER = 2000

# Run by the project's own Python: prints {"header": µs, "cookie": µs}.
SCRIPT = """\
import json, sys, time
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from my_api.tokens.services import issue_token
rounds, number = int(sys.argv[1]), int(sys.argv[2])
user = get_user_model().objects.create_user(username="bench", password="x-Bench-1")
key = issue_token(user)["token"]
header = Client(HTTP_HOST="api.example.com", HTTP_AUTHORIZATION=f"Token {key}")
cookie = Client(HTTP_HOST="api.example.com")
cookie.cookies[settings.AUTH_COOKIE_NAME] = key
clients = {"header": header, "cookie": cookie}
best = {name: float("inf") for name in clients}
for client in clients.values():
    for _ in range(200):
        assert client.get("/api/hello/", secure=True).status_code == 200
for _ in range(rounds):
    for name, client in clients.items():
        start = time.perf_counter()
        for _ in range(number):
            client.get("/api/hello/", secure=True)
        best[name] = min(best[name], (time.perf_counter() - start) / number)
print(json.dumps({name: seconds * 1e6 for name, seconds in best.items()}))
"""


def hello_us(project: Path, rounds: int = ROUNDS, number: int = NUMBER) -> dict[str, float]:
    venv = project_venv(project)
    env = production_env() | {
        "DATABASE_URL": f"sqlite:///{project / 'bench.sqlite3'}",
        "DJANGO_CACHE_URL": "dbcache://django_cache",
        # Out of the way: the per-user rate would answer 429 within the first round.
        "DJANGO_THROTTLE_USER": "1000000000/minute",
    }
    for step in (["migrate"], ["createcachetable"], ["collectstatic", "--noinput"]):
        result = run(project, venv, "python", "manage.py", *step, **env)
        assert result.returncode == 0, output(result)
    result = run(
        project,
        venv,
        "python",
        "-c",
        SCRIPT,
        str(rounds),
        str(number),
        PYTHONPATH=str(project),
        **env,
    )
    assert result.returncode == 0, output(result)
    return json.loads(result.stdout.splitlines()[-1])


def measure(scratch: Path, figures: Figures) -> str:
    project = render_project(scratch / "browser", {"browser_clients": True})
    times = hello_us(project)
    return report(times)


def report(times: dict[str, float]) -> str:
    ratio = times["cookie"] / times["header"]
    return "\n".join(
        [
            "## Browser clients: the cookie against the header",
            "",
            __doc__.split("\n\n", 1)[1].replace("\n", " ").strip(),
            f"{ROUNDS} rounds of {NUMBER:,} requests ({os.cpu_count()} cores).",
            "",
            "| `GET /api/hello/` authenticated by | µs per request | x header |",
            "|---|---|---|",
            f"| the `Authorization` header | {times['header']:.0f} | 1.00x |",
            f"| the browser login's cookie (a safe method: the CSRF check lets it by) | "
            f"{times['cookie']:.0f} | {ratio:.2f}x |",
        ]
    )
