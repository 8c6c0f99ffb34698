"""The generated image and compose stack, with the engine and base images of
`.ci/containers`: image size over its base, a cold build (no build cache) and a
rebuild after a one-line code change, `compose up --wait` to healthy, hello's
throughput in the container against the same project served on the host, and the
time `compose stop` takes.

Both servers run 2 gunicorn workers with the production settings, SQLite and the
database cache, behind the same port (the container's published on 127.0.0.1).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.containers import CONTAINER_VARIANTS, Stack, engine_problem, service_of
from harness.devserver import FirstUser
from harness.runner import PRODUCTION_MAIL, output, project_venv, run
from harness.variants import DEFAULT, Variant

from . import load
from .project import render_project
from .targets import Figures

ROUNDS = 3


@dataclass(frozen=True)
class Result:
    variant: str
    python: str
    base_mb: float
    image_mb: float
    cold_build_s: float
    warm_build_s: float
    up_s: float
    stop_s: float
    # hello's throughput (the default variant only): through the published port, at
    # the container's own address, and the same project served on the host.
    published: load.Load | None = None
    direct: load.Load | None = None
    host: load.Load | None = None


def inspect_image(image: str, template: str) -> str:
    return subprocess.run(
        ["docker", "image", "inspect", "-f", template, image],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def image_mb(image: str) -> float:
    return int(inspect_image(image, "{{.Size}}")) / 1e6


def image_id(image: str) -> str:
    return inspect_image(image, "{{.Id}}")


def container_ip(stack: Stack) -> str:
    (app,) = [c for c in stack.containers() if service_of(c) == "app"]
    (network,) = app["NetworkSettings"]["Networks"].values()
    return network["IPAddress"]


def timed(step, *args: str) -> float:
    start = time.perf_counter()
    result = step(*args)
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return elapsed


def token(address: str, project: Path, variant: Variant) -> dict[str, str]:
    """Log alice in over HTTP; the headers for hello. compose.yaml and the host's
    settings both allow the host name localhost, whatever the address."""
    body = urllib.parse.urlencode(FirstUser.of(project).credentials).encode()
    host = {"Host": "localhost"}
    request = urllib.request.Request(f"http://{address}/api/auth/token/", body, host)
    with urllib.request.urlopen(request, timeout=10) as response:
        issued = json.load(response)
    backend = variant.backend
    return host | {"Authorization": f"{backend.scheme} {issued[backend.token_field]}"}


@contextmanager
def served_on_host(project: Path) -> Iterator[str]:
    """The same project, production settings, SQLite, served by gunicorn on the host."""
    venv = project_venv(project)
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        **PRODUCTION_MAIL,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{project / 'host.sqlite3'}",
    }
    for step in (["migrate"], ["createcachetable"], ["createsuperuser", "--noinput"]):
        superuser = FirstUser.of(project).superuser_env
        result = run(project, venv, "python", "manage.py", *step, **env, **superuser)
        assert result.returncode == 0, output(result)
    with load.gunicorn(project, venv, env):
        yield f"127.0.0.1:{load.PORT}"


TW_REUSE = Path("/proc/sys/net/ipv4/tcp_tw_reuse")


@contextmanager
def reusing_time_wait_ports() -> Iterator[None]:
    """Let the load generator reuse its ports in TIME_WAIT towards Docker's bridge too.

    Linux's default (2) allows it on loopback only: at some 2,000 new connections a
    second (gunicorn's sync workers close each one), the 28,000 ephemeral ports toward
    the container's address run out within a minute, and wrk then spins on failed
    connects, a figure of the client rather than the server. Restored afterwards."""
    before = TW_REUSE.read_text()
    TW_REUSE.write_text("1")
    try:
        yield
    finally:
        TW_REUSE.write_text(before)


def throughput(stack: Stack, variant: Variant) -> dict[str, load.Load]:
    """hello through the published port, at the container's own address, and on the
    host: measured in turns, ROUNDS times, the best round of each kept (this machine's
    speed drifts between runs by more than the differences measured)."""
    with served_on_host(stack.project) as host_address, reusing_time_wait_ports():
        addresses = {
            "published": f"127.0.0.1:{stack.port}",
            "direct": f"{container_ip(stack)}:8000",
            "host": host_address,
        }
        headers = {
            name: token(address, stack.project, variant) for name, address in addresses.items()
        }
        rounds = [
            {
                name: load.measure("/api/hello/", headers[name], address=address)
                for name, address in addresses.items()
            }
            for _ in range(ROUNDS)
        ]
    return {
        name: max((r[name] for r in rounds), key=lambda figures: figures.requests_per_second)
        for name in addresses
    }


def measure_one(scratch: Path, variant: Variant) -> Result:
    project = render_project(scratch / f"containers-{variant.name}", variant.answers)
    python = str(variant.answers.get("python_version", "3.11"))
    with (project / ".env").open("a") as env_file:
        env_file.write("GUNICORN_WORKERS=2\n")  # as on the host
    stack = Stack(project, f"bench-{variant.name}")
    stack.remove()
    subprocess.run(["docker", "builder", "prune", "--all", "--force"], capture_output=True)
    cold_image = ""
    try:
        cold = timed(stack.compose, "build")
        # The rebuild below leaves the cold build's image untagged: removed at the end.
        cold_image = image_id(stack.image())
        views = next(project.glob("*/api/views.py"))
        views.write_text(views.read_text() + "# A one-line change.\n")
        warm = timed(stack.compose, "build")
        up = timed(stack.compose, "up", "--wait")
        superuser = FirstUser.of(project).superuser_env
        user = [arg for item in superuser.items() for arg in ("-e", "=".join(item))]
        createsuperuser = ["python", "manage.py", "createsuperuser", "--noinput"]
        timed(stack.compose, "exec", *user, "app", *createsuperuser)
        served = throughput(stack, variant) if variant == DEFAULT else {}
        stop = timed(stack.compose, "stop")
        base, image = image_mb(f"python:{python}-slim"), image_mb(stack.image())
    finally:
        stack.remove()
        if cold_image:
            subprocess.run(["docker", "rmi", cold_image], capture_output=True)
    return Result(variant.name, python, base, image, cold, warm, up, stop, **served)


def measure(scratch: Path, figures: Figures) -> str:
    problem = engine_problem()
    if problem:
        raise RuntimeError(f"the container figures need bash .ci/containers: {problem}")
    results = []
    for variant in CONTAINER_VARIANTS:
        print(f"  {variant}", file=sys.stderr)
        results.append(measure_one(scratch, variant))
    figures.image_over_base_mb = max(r.image_mb - r.base_mb for r in results)
    figures.warm_build_seconds = max(r.warm_build_s for r in results)
    (default,) = [r for r in results if r.host]
    host = default.host.requests_per_second
    figures.container_throughput_ratio = default.direct.requests_per_second / host
    figures.published_throughput_ratio = default.published.requests_per_second / host
    return report(results)


def report(results: list[Result]) -> str:
    engine = subprocess.run(
        ["docker", "version", "-f", "{{.Server.Version}}"], capture_output=True, text=True
    ).stdout.strip()
    lines = [
        "## Containers",
        "",
        f"Docker {engine}, the base images of `.ci/containers` (Debian's Python, PostgreSQL "
        "17 and Redis 7, tagged with the official images' names). Cold build: no build "
        "cache, base images present, packages from the index (uv's cache is off in the "
        "Dockerfile). Warm: the same build after one line added to `api/views.py`. Up: "
        "`docker compose up --wait` with the image built, to every service healthy. Stop: "
        "`docker compose stop`, every container exiting on SIGTERM.",
        "",
        "| variant | Python | base image | image | over base | cold build | warm rebuild "
        "| up --wait | stop |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.variant} | {r.python} | {r.base_mb:.0f} MB | {r.image_mb:.0f} MB "
            f"| {r.image_mb - r.base_mb:.0f} MB | {r.cold_build_s:.1f} s | {r.warm_build_s:.1f} s "
            f"| {r.up_s:.1f} s | {r.stop_s:.1f} s |"
        )
    (default,) = [r for r in results if r.host]
    lines += [
        "",
        f"`GET /api/hello/` with a token, {load.CONNECTIONS} connections for {load.SECONDS} s, "
        f"{default.variant}, 2 sync gunicorn workers in each case:",
        "",
        "| served | req/s | x host | p50 ms | p99 ms | failed |",
        "|---|---|---|---|---|---|",
    ]
    served = {
        "in the container, through its published port (127.0.0.1)": default.published,
        "in the container, at its own address on Docker's bridge": default.direct,
        "on the host": default.host,
    }
    for name, figures in served.items():
        ratio = figures.requests_per_second / default.host.requests_per_second
        lines.append(
            f"| {name} | {figures.requests_per_second:.0f} | {ratio:.2f}x "
            f"| {figures.p50_ms:.1f} | {figures.p99_ms:.1f} | {figures.failed} |"
        )
    lines += [
        "",
        f"Measured in turns, {ROUNDS} rounds, the best of each kept, with the client's "
        "`net.ipv4.tcp_tw_reuse=1` (see `bench/containers.py`). A client on the same "
        "machine reaches a published port through the engine's userland proxy "
        "(`docker-proxy`, one more process copying every byte, on the same 2 cores); "
        "the container's own address shows what the image itself serves. In the "
        "container, gunicorn's access log goes through Docker's json-file logging "
        "driver; on the host it is discarded.",
    ]
    return "\n".join(lines)
