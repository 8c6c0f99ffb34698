"""gunicorn as gunicorn.conf.py configures it, in a process of its own: JSON lines
on stdout, one access line per request, and a graceful stop on SIGTERM that lets a
request in flight finish."""

import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

SLOW_URL = "/slow/"


def application(environ, start_response):
    """The project's application; SLOW_URL answers as /api/health/live/ once the test
    lets it (a request that is in flight for as long as the test needs)."""
    from config.wsgi import application as project_application

    if environ["PATH_INFO"] == SLOW_URL:
        Path(os.environ["SLOW_STARTED"]).touch()
        while not Path(os.environ["SLOW_RELEASED"]).exists():
            time.sleep(0.05)
        environ["PATH_INFO"] = "/api/health/live/"
    return project_application(environ, start_response)


@dataclass
class Gunicorn:
    url: str
    log: Path
    started: Path
    released: Path
    process: subprocess.Popen = field(init=False)

    def records(self):
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def wait_for(self, condition):
        """Poll the log until `condition(records)` holds (at most 30 s)."""
        for _ in range(300):
            if condition(self.records()):
                return
            time.sleep(0.1)
        raise AssertionError(f"not in gunicorn's log:\n{self.log.read_text()}")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


def get(url):
    # The test settings' one allowed host.
    request = urllib.request.Request(url, headers={"Host": "testserver"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        with error:  # the error is the response: closing it closes its socket
            return error.code, error.headers


@pytest.fixture
def gunicorn(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = Gunicorn(
        url=f"http://127.0.0.1:{port}",
        log=tmp_path / "gunicorn.log",
        started=tmp_path / "started",
        released=tmp_path / "released",
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DJANGO_ENV_FILE": os.devnull,
        "DJANGO_LOG_FORMAT": "json",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "SLOW_STARTED": str(server.started),
        "SLOW_RELEASED": str(server.released),
    }
    with server.log.open("w") as log:
        server.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tests.platform.test_gunicorn:application"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        server.wait_for(lambda records: any("Booting worker" in r["message"] for r in records))
        yield server
    finally:
        server.released.touch()
        if server.process.poll() is None:
            server.stop()


def test_every_line_is_json_and_each_request_has_an_access_line(gunicorn):
    status, headers = get(f"{gunicorn.url}/api/hello/?token=s3cr3t-t0ken")
    gunicorn.wait_for(lambda records: any(r["logger"] == "gunicorn.access" for r in records))

    assert gunicorn.stop() == 0
    records = gunicorn.records()  # every line parses as JSON
    [access] = [record for record in records if record["logger"] == "gunicorn.access"]
    assert status == 401
    assert access["message"] == "GET /api/hello/ 401"
    assert access["request_id"] == headers["X-Request-ID"]
    assert {"time", "level", "method", "path", "status", "duration_ms"} <= set(access)
    messages = [record["message"] for record in records]
    assert "Unauthorized: /api/hello/" in messages  # Django's, in the worker
    assert "Handling signal: term" in messages  # gunicorn's master
    assert "s3cr3t-t0ken" not in gunicorn.log.read_text()


def test_a_request_in_flight_completes_after_sigterm(gunicorn):
    response: dict[str, tuple] = {}
    client = threading.Thread(target=lambda: response.update(answer=get(gunicorn.url + SLOW_URL)))
    client.start()
    for _ in range(300):
        if gunicorn.started.exists():
            break
        time.sleep(0.1)

    gunicorn.process.send_signal(signal.SIGTERM)
    gunicorn.wait_for(lambda records: any(r["message"] == "Handling signal: term" for r in records))
    # Orders events (the master has passed SIGTERM on to the worker); not a measurement.
    time.sleep(0.5)
    gunicorn.released.touch()
    client.join(timeout=60)

    assert response["answer"][0] == 200
    assert gunicorn.process.wait(timeout=60) == 0


def test_workers_follow_the_cpus_a_container_may_use(tmp_path):
    """gunicorn.conf.py's default worker count reads the cgroup CPU quota that
    `docker run --cpus` sets, not the host's CPU count."""
    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    available_cpus = conf["available_cpus"]
    here = available_cpus(tmp_path / "no-cgroup")
    cpu_max = tmp_path / "cpu.max"

    cpu_max.write_text("150000 100000\n")  # --cpus=1.5
    assert available_cpus(cpu_max) == min(here, 2)
    cpu_max.write_text("50000 100000\n")  # --cpus=0.5
    assert available_cpus(cpu_max) == 1
    cpu_max.write_text("max 100000\n")  # no limit
    assert available_cpus(cpu_max) == here
    assert here >= 1
