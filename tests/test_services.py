"""Two gunicorn servers sharing one PostgreSQL and one Redis: tokens, throttles, load, outage
(guarantees SEC-29 and SEC-30).

The PostgreSQL server here is a private instance started by this module (it is
stopped mid-way), never the shared one other tests use.
"""

from __future__ import annotations

import glob
import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import pytest

from harness.runner import (
    PRODUCTION_MAIL,
    output,
    project_env,
    project_venv,
    redis_database,
    require_service,
    run,
)
from harness.variants import VARIANTS

pytestmark = pytest.mark.xdist_group("services")

NAME = "username-authtoken-registration-browser-postgresql-redis"
VARIANT = next(v for v in VARIANTS if v.name == NAME)
USERS = {
    "alice": "alice-long-password-1",
    "bob": "bob-long-password-22",
    "carol": "carol-password-333",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(url, data=None, token=None, timeout=10):
    """(status, JSON body) of one request; never raises on an HTTP error status."""
    headers = {"Authorization": f"Token {token}"} if token else {}
    body = json.dumps(data).encode() if data is not None else None
    if body:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # loopback only
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None


class PrivatePostgres:
    """initdb + pg_ctl, run as the postgres user (they refuse root), on a free port."""

    def __init__(self) -> None:
        initdbs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not initdbs or os.geteuid() != 0 or shutil.which("runuser") is None:
            message = "a private PostgreSQL needs root, runuser and /usr/lib/postgresql/*/bin"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        self.bin = Path(initdbs[-1]).parent
        self.root = Path(tempfile.mkdtemp(prefix="template-pg-"))
        shutil.chown(self.root, "postgres", "postgres")
        self.data = self.root / "data"
        self.port = free_port()
        self.as_postgres(
            "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"
        )

    def as_postgres(self, tool, *args, check=True):
        command = ["runuser", "-u", "postgres", "--", str(self.bin / tool), *map(str, args)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0 or not check, output(result)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.as_postgres(
            "pg_ctl", "-D", self.data, "-o", options, "-l", self.root / "log", "-w", "start"
        )

    def stop(self) -> None:
        self.as_postgres("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        self.as_postgres("pg_ctl", "-D", self.data, "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)


class Stack:
    """The rendered project, its private PostgreSQL, a Redis database and two servers."""

    def __init__(self, project, venv, postgres, redis_url, servers, logs):
        self.project, self.venv, self.postgres = project, venv, postgres
        self.redis_url, self.servers, self.logs = redis_url, servers, logs

    def flush_throttles(self) -> None:
        number = self.redis_url.rsplit("/", 1)[1]
        subprocess.run(
            ["redis-cli", "-u", self.redis_url.rsplit("/", 1)[0], "-n", number, "flushdb"],
            capture_output=True,
            check=True,
        )

    def login(self, server, username):
        return call(
            f"{server}/api/auth/token/", {"username": username, "password": USERS[username]}
        )


def wait_until_healthy(base_url, process, log, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if call(f"{base_url}/api/health/", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base_url} did not become healthy:\n{log.read_text()}")


@pytest.fixture(scope="module")
def stack(render, tmp_path_factory):
    require_service("TEMPLATE_TEST_REDIS_URL")
    project = render(VARIANT)
    venv = project_venv(project)
    with ExitStack() as cleanup:
        postgres = PrivatePostgres()
        cleanup.callback(postgres.remove)
        postgres.start()
        postgres.as_postgres("createdb", "-h", "127.0.0.1", "-p", postgres.port, "app")
        redis_url = cleanup.enter_context(redis_database())
        env = {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_ENV_FILE": os.devnull,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            **PRODUCTION_MAIL,
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": postgres.url("app"),
            "REDIS_URL": redis_url,
            "GUNICORN_WORKERS": "2",
        }
        migrate = run(project, venv, "python", "manage.py", "migrate", "--noinput", **env)
        assert migrate.returncode == 0, output(migrate)
        create = "; ".join(
            f"User.objects.create_user({name!r}, password={password!r})"
            for name, password in USERS.items()
        )
        shell = run(
            project,
            venv,
            "python",
            "manage.py",
            "shell",
            "-c",
            f"from django.contrib.auth import get_user_model as g; User = g(); {create}",
            **env,
        )
        assert shell.returncode == 0, output(shell)

        logs = tmp_path_factory.mktemp("servers")
        servers = []
        for name in ("a", "b"):
            port = free_port()
            log = logs / f"{name}.log"
            with log.open("w") as log_file:
                process = subprocess.Popen(
                    [str(venv / "bin" / "gunicorn")],
                    cwd=project,
                    env=project_env(venv, **env, GUNICORN_BIND=f"127.0.0.1:{port}"),
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                )
            cleanup.callback(process.wait, 10)
            cleanup.callback(process.terminate)
            base_url = f"http://127.0.0.1:{port}"
            wait_until_healthy(base_url, process, log)
            servers.append(base_url)
        yield Stack(project, venv, postgres, redis_url, servers, logs)


def test_a_token_from_one_server_works_on_the_other(stack):
    a, b = stack.servers
    stack.flush_throttles()

    status, body = stack.login(a, "alice")

    assert status == 200, body
    assert call(f"{b}/api/hello/", token=body["token"]) == (200, {"message": "Hello alice"})


def access_record(log: Path, request_id: str, seconds: float = 10) -> dict:
    """gunicorn's JSON access line for the request, once written (after the response)."""
    deadline = time.monotonic() + seconds
    while True:
        records = [json.loads(line) for line in log.read_text().splitlines()]
        for record in records:
            if record["logger"] == "gunicorn.access" and record.get("request_id") == request_id:
                return record
        assert time.monotonic() < deadline, f"no access line for {request_id}"
        time.sleep(0.05)


def test_access_logs_hold_no_secret_query_parameter(stack):
    """gunicorn writes one JSON line per request; a client may put a token in its query string."""
    a = stack.servers[0]
    secret = secrets.token_hex(20)
    request_id = f"services-{secrets.token_hex(8)}"
    request = urllib.request.Request(
        f"{a}/api/hello/?x=1&token={secret}", headers={"X-Request-ID": request_id}
    )

    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=10)  # loopback only
    with answer.value as error:  # the error is the response: closing it closes its socket
        status, answered_id = error.code, error.headers["X-Request-ID"]

    assert status == 401
    assert answered_id == request_id
    record = access_record(stack.logs / "a.log", request_id)
    assert (record["method"], record["path"], record["status"]) == ("GET", "/api/hello/", 401)
    assert secret not in (stack.logs / "a.log").read_text()


def test_logout_on_one_server_revokes_on_both(stack):
    a, b = stack.servers
    stack.flush_throttles()
    token = stack.login(a, "bob")[1]["token"]

    assert call(f"{b}/api/auth/logout/", data={}, token=token)[0] == 204

    assert call(f"{a}/api/hello/", token=token)[0] == 401
    assert call(f"{b}/api/hello/", token=token)[0] == 401


def test_the_login_throttle_counts_across_servers(stack):
    a, b = stack.servers
    stack.flush_throttles()
    wrong = {"username": "carol", "password": "not-her-password"}

    statuses = [call(f"{(a, b)[n % 2]}/api/auth/token/", wrong)[0] for n in range(11)]

    # 10 per minute per client (DJANGO_THROTTLE_LOGIN_CLIENT's default), on either server.
    assert statuses == [400] * 10 + [429]
    stack.flush_throttles()


def test_concurrent_load_keeps_every_user_apart(stack):
    """A few seconds of concurrent authenticated calls: no 5xx, no mixed-up users, and
    each user held to the default per-user limit (DJANGO_THROTTLE_USER's 120 a
    minute) across both servers, whose counts Redis shares."""
    stack.flush_throttles()
    tokens = {name: stack.login(stack.servers[0], name)[1]["token"] for name in USERS}
    outcomes: Counter[str] = Counter()
    served: Counter[str] = Counter()
    sent: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + 3

    def worker(index):
        name = list(USERS)[index % len(USERS)]
        server = stack.servers[index % 2]
        while time.monotonic() < deadline:
            status, body = call(f"{server}/api/hello/", token=tokens[name])
            outcome = "ok" if (status, body) == (200, {"message": f"Hello {name}"}) else f"{status}"
            with lock:
                outcomes[outcome] += 1
                served[name] += outcome == "ok"
                sent[name] += 1

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert set(outcomes) <= {"ok", "429"}, outcomes
    # DRF's throttle reads and writes a user's history without a lock, so requests
    # that race may each pass: the count is the limit, give or take those.
    for name in USERS:
        assert min(sent[name], 100) <= served[name] <= 200, (name, sent, served)


def test_a_database_outage_is_503_json_and_recovers_without_a_restart(stack):
    stack.flush_throttles()
    token = stack.login(stack.servers[0], "carol")[1]["token"]

    stack.postgres.stop()
    try:
        for server in stack.servers:
            status, body = call(f"{server}/api/health/")
            assert (status, body["checks"]["database"]) == (503, "unavailable")
            status, body = call(f"{server}/api/hello/", token=token)
            assert status == 503
            assert "detail" in body
            assert "Traceback" not in json.dumps(body)
    finally:
        stack.postgres.start()

    deadline = time.monotonic() + 30
    for server in stack.servers:
        while call(f"{server}/api/hello/", token=token)[0] != 200:
            assert time.monotonic() < deadline, f"{server} did not recover"
            time.sleep(0.5)
        assert call(f"{server}/api/health/")[0] == 200
