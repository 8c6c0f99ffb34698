"""gunicorn serving a rendered project, and HTTP load from a second process.

Load comes from wrk (Debian's package) when it is installed, otherwise from a
Python generator with the same shape: CONNECTIONS clients each sending one
request at a time for SECONDS.
"""

from __future__ import annotations

import http.client
import re
import shutil
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.runner import project_env

SECONDS = 5
WARM_UP_SECONDS = 1
CONNECTIONS = 8
PORT = 8765


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    failed: int  # responses other than 2xx/3xx, and socket errors


def tool() -> str:
    return "wrk" if shutil.which("wrk") else "a Python load generator (wrk is not installed)"


@contextmanager
def gunicorn(project: Path, venv: Path, env: dict[str, str]) -> Iterator[int]:
    """gunicorn with 2 sync workers on 127.0.0.1:PORT, its access log discarded."""
    server = subprocess.Popen(
        [str(venv / "bin" / "gunicorn")],
        cwd=project,
        env=project_env(venv, GUNICORN_WORKERS="2", GUNICORN_BIND=f"127.0.0.1:{PORT}", **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(server)
        yield PORT
    finally:
        server.terminate()
        server.wait(10)


def wait_until_up(server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.stderr.read() if server.stderr else ''}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/api/health/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {PORT} did not answer /api/health/")


def measure(
    path: str, headers: dict[str, str], seconds: int = SECONDS, address: str = f"127.0.0.1:{PORT}"
) -> Load:
    """Requests/s and latency of GET `path` at `address` after a warm-up; fails if no
    request succeeded."""
    drive = wrk if shutil.which("wrk") else python_load
    drive(path, headers, WARM_UP_SECONDS, address)
    load = drive(path, headers, seconds, address)
    if load.requests_per_second == 0:
        raise RuntimeError(f"no request to {path} succeeded")
    return load


def wrk(path: str, headers: dict[str, str], seconds: int, address: str) -> Load:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run(
        [*command, f"http://{address}{path}"], capture_output=True, text=True, check=True
    )
    return parse_wrk(result.stdout)


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(report: str) -> Load:
    def latency(percentile: str) -> float:
        match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", report, re.MULTILINE)
        if not match:
            raise ValueError(f"no {percentile}% latency in wrk's report:\n{report}")
        return float(match[1]) * UNITS_MS[match[2]]

    rate = re.search(r"^Requests/sec:\s+([\d.]+)", report, re.MULTILINE)
    if not rate:
        raise ValueError(f"no Requests/sec in wrk's report:\n{report}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    failed = (int(non_2xx[1]) if non_2xx else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return Load(float(rate[1]), latency("50"), latency("99"), failed)


def python_load(path: str, headers: dict[str, str], seconds: int, address: str) -> Load:
    host, port = address.rsplit(":", 1)
    latencies: list[float] = []
    failed = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        nonlocal failed
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(host, int(port), timeout=10)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                ok = response.status < 400
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failed += 1

    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if len(latencies) < 2:
        return Load(0, 0, 0, failed)
    cuts = statistics.quantiles(latencies, n=100)
    return Load(len(latencies) / seconds, cuts[49], cuts[98], failed)
