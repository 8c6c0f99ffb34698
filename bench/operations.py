"""Operations: what request IDs and JSON logs cost, and gunicorn's worker class
(sync or gthread) under load and against slow clients.

One project (the default answers) with production settings, SQLite and the
database cache. "Plain" is the same project without its request-ID middleware
and with plain text logs (Django's and gunicorn's stock formats), through a
settings module and a gunicorn configuration the bench adds to its copy. Logs go
to a file, so writing them is part of the cost.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.runner import PRODUCTION_MAIL, output, project_env, project_venv, run

from . import load
from .project import render_project
from .targets import Figures

ROUNDS = 3
IN_PROCESS_ROUNDS = 7
OVERHEAD_ROUNDS = 5
WORKERS = 5  # gunicorn.conf.py's default on 2 cores: 2 x CPUs + 1
THREADS = 4
SLOW_CLIENT_WAIT = 5.0  # seconds a normal request may take while slow clients hold on
HOLD_CAP = 45.0  # seconds one slow client is watched holding a one-worker server

PLAIN_SETTINGS = """\
from .production import *  # noqa: F403
from .production import MIDDLEWARE

MIDDLEWARE = [name for name in MIDDLEWARE if name != "my_api.core.request_id.RequestIDMiddleware"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
"""

# gunicorn.conf.py, with gunicorn's stock logger and text access log.
PLAIN_GUNICORN = """\
exec(open("gunicorn.conf.py").read())
logconfig_dict = {}
logger_class = "gunicorn.glogging.Logger"
accesslog = "-"
"""

IN_PROCESS = """\
import json, sys, time
import django
django.setup()
from django.test import Client
client, header, n = Client(), {"HTTP_AUTHORIZATION": sys.argv[1]}, 2000
for _ in range(200):
    client.get("/api/hello/", **header)
best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    for _ in range(n):
        assert client.get("/api/hello/", **header).status_code == 200
    best = min(best, (time.perf_counter() - start) / n)
print(json.dumps(best * 1e6))
"""

# The middleware alone, around a view that does nothing.
MIDDLEWARE_ALONE = """\
import json, time
import django
django.setup()
from django.http import HttpResponse
from django.test import RequestFactory
from my_api.core.request_id import RequestIDMiddleware
response, factory, n = HttpResponse(), RequestFactory(), 20000
middleware = RequestIDMiddleware(lambda request: response)
best = float("inf")
for _ in range(5):
    requests = [factory.get("/api/hello/") for _ in range(n)]
    start = time.perf_counter()
    for request in requests:
        middleware(request)
    best = min(best, (time.perf_counter() - start) / n)
print(json.dumps(best * 1e6))
"""

# One access line, as production writes it (JSON, with the request ID and user) and
# as gunicorn's stock logger does (text), each to a file.
ACCESS_LINE = """\
import datetime, json, sys, time
from types import SimpleNamespace
from gunicorn.config import Config
from gunicorn.glogging import Logger
out, n = sys.stdout, 20000
sys.stdout = open(sys.argv[1], "w")
from my_api.core.gunicorn_logging import AccessLogger
from config.logs import logging_config
from my_api.core.request_id import ENVIRON_REQUEST_ID, ENVIRON_USER_ID
project = Config()
project.set("logconfig_dict", logging_config("json", "INFO"))
stock = Config()
stock.set("accesslog", sys.argv[1] + ".stock")
environ = {
    "REQUEST_METHOD": "GET", "RAW_URI": "/api/hello/", "PATH_INFO": "/api/hello/",
    "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
    ENVIRON_REQUEST_ID: "0b7f3f3e-1d2c-4b8a-9f6e-5a4d3c2b1a09", ENVIRON_USER_ID: 1,
}
request = SimpleNamespace(headers=[("USER-AGENT", "wrk"), ("HOST", "127.0.0.1:8765")])
response = SimpleNamespace(status="200 OK", status_code=200, sent=25, headers=[])
took = datetime.timedelta(milliseconds=3)
figures = {}
for name, logger in (("project", AccessLogger(project)), ("stock", Logger(stock))):
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            logger.access(response, request, environ, took)
        best = min(best, (time.perf_counter() - start) / n)
    figures[name] = best * 1e6
print(json.dumps(figures), file=out)
"""

ISSUE_TOKEN = """\
from django.contrib.auth import get_user_model
from my_api.tokens.services import issue_token
user = get_user_model().objects.create_user(username="load", password="x-Bench-1")
print(issue_token(user)["token"])
"""


@dataclass(frozen=True)
class Overhead:
    in_process_us: float
    plain_in_process_us: float
    middleware_us: float
    access_line_us: float
    stock_access_line_us: float
    served: load.Load
    plain_served: load.Load
    served_range: tuple[float, float]  # the lowest and highest round, requests/s
    plain_served_range: tuple[float, float]

    @property
    def per_request_us(self) -> float:
        """What they add to each request: the middleware and the longer access line."""
        return self.middleware_us + self.access_line_us - self.stock_access_line_us


@dataclass(frozen=True)
class WorkerClass:
    name: str
    served: load.Load
    # Slow clients (a declared body of 100 bytes, 2 sent) held open while one normal
    # request is made: how many, and whether it was answered within SLOW_CLIENT_WAIT.
    slow_clients: dict[int, float | None]
    # How long one slow client keeps a one-worker, one-thread server from answering
    # (None: still at HOLD_CAP).
    held_s: float | None


@contextmanager
def gunicorn(
    project: Path, venv: Path, env: dict[str, str], log: Path, *args: str
) -> Iterator[None]:
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [str(venv / "bin" / "gunicorn"), *args],
            cwd=project,
            env=project_env(venv, GUNICORN_BIND=f"127.0.0.1:{load.PORT}", **env),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        load.wait_until_up(server)
        yield
    finally:
        server.terminate()
        server.wait(30)


def slow_clients(count: int) -> ExitStack:
    """`count` connections that declare a 100-byte body, send 2 bytes, and wait."""
    stack = ExitStack()
    for _ in range(count):
        sock = stack.enter_context(socket.create_connection(("127.0.0.1", load.PORT)))
        sock.sendall(
            b"POST /api/auth/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{}"
        )
    return stack


def normal_request_seconds() -> float | None:
    """Seconds a GET /api/health/live/ takes, None when not answered in time."""
    start = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", load.PORT), timeout=SLOW_CLIENT_WAIT) as sock:
            sock.sendall(b"GET /api/health/live/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            if not sock.recv(64).startswith(b"HTTP/1.1 200"):
                return None
    except OSError:
        return None
    return time.perf_counter() - start


def held_seconds() -> float | None:
    """Seconds until the server answers again while one slow client holds on."""
    with slow_clients(1):
        start = time.perf_counter()
        while time.perf_counter() - start < HOLD_CAP:
            if normal_request_seconds() is not None:
                return time.perf_counter() - start
            time.sleep(0.5)
    return None


def prepare(scratch: Path) -> tuple[Path, Path, dict[str, str], str]:
    project = render_project(scratch / "operations", {})
    venv = project_venv(project)
    (project / "config" / "settings" / "plain.py").write_text(PLAIN_SETTINGS)
    (project / "gunicorn.plain.conf.py").write_text(PLAIN_GUNICORN)
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_ENV_FILE": os.devnull,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        **PRODUCTION_MAIL,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{project / 'bench.sqlite3'}",
        "GUNICORN_WORKERS": str(WORKERS),
    }
    steps = (["migrate"], ["createcachetable"], ["collectstatic", "--noinput"])
    for step in (*steps, ["shell", "-c", ISSUE_TOKEN]):
        result = run(project, venv, "python", "manage.py", *step, **env)
        assert result.returncode == 0, output(result)
    token = result.stdout.strip().splitlines()[-1]
    return project, venv, env, f"Token {token}"


def in_process_us(project: Path, venv: Path, env: dict[str, str], *args: str) -> float:
    script = IN_PROCESS if args else MIDDLEWARE_ALONE
    result = run(project, venv, "python", "-c", script, *args, PYTHONPATH=str(project), **env)
    assert result.returncode == 0, output(result)
    return json.loads(result.stdout.splitlines()[-1])  # after any log line


def best(loads: list[load.Load]) -> load.Load:
    return max(loads, key=lambda served: served.requests_per_second)


def measure_overhead(project: Path, venv: Path, env: dict[str, str], header: str) -> Overhead:
    plain_env = env | {"DJANGO_SETTINGS_MODULE": "config.settings.plain"}
    logs = project / "logs"
    logs.mkdir(exist_ok=True)
    served: dict[str, list[load.Load]] = {"project": [], "plain": []}
    # Processes differ by a few percent from one start to the next: the best of several.
    calls: dict[str, list[float]] = {"project": [], "plain": []}
    for _ in range(IN_PROCESS_ROUNDS):
        calls["project"].append(in_process_us(project, venv, env, header))
        calls["plain"].append(in_process_us(project, venv, plain_env, header))
    for round_ in range(OVERHEAD_ROUNDS):  # interleaved, best kept
        for name, settings, args in (
            ("project", env, ()),
            ("plain", plain_env, ("-c", "gunicorn.plain.conf.py")),
        ):
            with gunicorn(project, venv, settings, logs / f"{name}-{round_}.log", *args):
                served[name].append(load.measure("/api/hello/", {"Authorization": header}))
    records = [json.loads(line) for line in (logs / "project-0.log").read_text().splitlines()]
    assert any(record["logger"] == "gunicorn.access" for record in records)
    result = run(
        project,
        venv,
        "python",
        "-c",
        ACCESS_LINE,
        str(logs / "access-line.log"),
        PYTHONPATH=str(project),
        **env,
    )
    assert result.returncode == 0, output(result)
    access = json.loads(result.stdout.splitlines()[-1])
    return Overhead(
        min(calls["project"]),
        min(calls["plain"]),
        in_process_us(project, venv, env),
        access["project"],
        access["stock"],
        best(served["project"]),
        best(served["plain"]),
        spread(served["project"]),
        spread(served["plain"]),
    )


def spread(loads: list[load.Load]) -> tuple[float, float]:
    rates = [served.requests_per_second for served in loads]
    return min(rates), max(rates)


def measure_worker_classes(
    project: Path, venv: Path, env: dict[str, str], header: str
) -> list[WorkerClass]:
    classes = {
        "sync": (),
        f"gthread, {THREADS} threads": ("--worker-class", "gthread", "--threads", str(THREADS)),
    }
    logs = project / "logs"
    results = []
    for name, args in classes.items():
        served = []
        holds: dict[int, float | None] = {}
        with gunicorn(project, venv, env, logs / f"workers-{name}.log", *args):
            for _ in range(ROUNDS):
                served.append(load.measure("/api/hello/", {"Authorization": header}))
            for count in (WORKERS - 1, WORKERS, WORKERS * THREADS):
                with slow_clients(count):
                    time.sleep(0.5)  # lets the workers pick the slow connections up
                    holds[count] = normal_request_seconds()
        one = env | {"GUNICORN_WORKERS": "1"}
        alone = [arg if arg != str(THREADS) else "1" for arg in args]
        with gunicorn(project, venv, one, logs / f"held-{name}.log", *alone):
            held = held_seconds()
        results.append(WorkerClass(name, best(served), holds, held))
    return results


def measure(scratch: Path, figures: Figures) -> str:
    project, venv, env, header = prepare(scratch)
    print("  request IDs and JSON logs", file=sys.stderr)
    overhead = measure_overhead(project, venv, env, header)
    print("  worker classes", file=sys.stderr)
    workers = measure_worker_classes(project, venv, env, header)
    figures.logging_overhead_in_process = overhead.per_request_us / overhead.plain_in_process_us
    figures.logging_overhead_served = (
        1 - overhead.served.requests_per_second / overhead.plain_served.requests_per_second
    )
    return report(overhead, workers)


def answered(seconds: float | None) -> str:
    if seconds is None:
        return f"no answer in {SLOW_CLIENT_WAIT:.0f} s"
    return f"{seconds * 1000:.0f} ms"


def held(seconds: float | None) -> str:
    return f"{seconds:.0f} s" if seconds is not None else f"over {HOLD_CAP:.0f} s (no limit)"


def report(overhead: Overhead, workers: list[WorkerClass]) -> str:
    in_process = overhead.in_process_us / overhead.plain_in_process_us - 1
    served = 1 - overhead.served.requests_per_second / overhead.plain_served.requests_per_second
    lines = [
        "## Operations",
        "",
        "The default project with production settings on SQLite, token `hello` with the "
        "database cache. *Plain*: the same project without the request-ID middleware, with "
        "Django's and gunicorn's stock text logs. In process: Django's test client, the best "
        f"of {IN_PROCESS_ROUNDS} processes alternating, each the best of 5 x 2,000 calls. "
        f"Served: gunicorn with {WORKERS} sync workers, logs written to a file, the best of "
        f"{OVERHEAD_ROUNDS} interleaved rounds (each side's lowest and highest in brackets: "
        "each round is a new server, and runs differ by more than the target). Per request: "
        "the middleware plus what the JSON access line costs over gunicorn's stock one, "
        "against hello's own cost in process; the target is judged on it and on the served "
        "figure.",
        "",
        "| | request IDs + JSON logs | plain | overhead |",
        "|---|---|---|---|",
        f"| in process, per call | {overhead.in_process_us:.0f} µs "
        f"| {overhead.plain_in_process_us:.0f} µs | {in_process:+.1%} |",
        f"| the middleware alone, per call | {overhead.middleware_us:.1f} µs | | |",
        f"| gunicorn's access line, per request | {overhead.access_line_us:.1f} µs (JSON) "
        f"| {overhead.stock_access_line_us:.1f} µs (stock text) "
        f"| {overhead.access_line_us - overhead.stock_access_line_us:+.1f} µs |",
        f"| per request | {overhead.per_request_us:.1f} µs | | "
        f"{overhead.per_request_us / overhead.plain_in_process_us:+.1%} of hello's cost |",
        f"| served, requests/s | {overhead.served.requests_per_second:.0f} "
        f"({overhead.served_range[0]:.0f}-{overhead.served_range[1]:.0f}) "
        f"| {overhead.plain_served.requests_per_second:.0f} "
        f"({overhead.plain_served_range[0]:.0f}-{overhead.plain_served_range[1]:.0f}) "
        f"| {served:+.1%} of throughput |",
        f"| served, p50 / p99 | {overhead.served.p50_ms:.1f} / {overhead.served.p99_ms:.1f} ms "
        f"| {overhead.plain_served.p50_ms:.1f} / {overhead.plain_served.p99_ms:.1f} ms | |",
        "",
        f"Worker classes, {WORKERS} workers each (best of {ROUNDS} rounds of hello under "
        f"load). Slow clients: connections that declare a 100-byte body, send 2 bytes and "
        f"wait; with them held open, the time one `GET /api/health/live/` takes. The last "
        "column: one slow client against one worker (one thread), until the server answers "
        "again; gunicorn's `timeout` (30 s) restarts a sync worker that long in one request, "
        "while a gthread worker's main loop stays alive and its thread waits on.",
        "",
        "| worker class | requests/s | p50 / p99 | "
        + " | ".join(f"{count} slow clients" for count in workers[0].slow_clients)
        + " | one slow client holds a worker (thread) for |",
        "|---|---|---|" + "---|" * (len(workers[0].slow_clients) + 1),
    ]
    for worker in workers:
        lines.append(
            f"| {worker.name} | {worker.served.requests_per_second:.0f} "
            f"| {worker.served.p50_ms:.1f} / {worker.served.p99_ms:.1f} ms | "
            + " | ".join(answered(seconds) for seconds in worker.slow_clients.values())
            + f" | {held(worker.held_s)} |"
        )
    return "\n".join(lines) + "\n"
