"""The generated Dockerfile and compose.yaml, built and booted with a real Docker engine
(guarantee SEC-55, the image).

Each of CONTAINER_VARIANTS (harness/containers.py) is rendered clean (with the `.env`
its copy task writes, and committed to git as a user would), then its README's "Run
with Docker" commands run as written: the image is built by the project's own
Dockerfile, nothing patched, and the stack is booted with `--wait`. The tests then
call it with curl as the README's tutorial does, look inside the image, stop and
restart the stack, and break its configuration. `.ci/containers` provides the engine
and the base images; without an engine these tests skip, except under CI=true, where
they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from harness.backends import Backend
from harness.containers import (
    CONTAINER_VARIANTS,
    Stack,
    engine_problem,
    forbidden_files,
    layers_containing,
    readme_commands,
    service_of,
)
from harness.devserver import FirstUser
from harness.mail import smtp_server
from harness.runner import PRODUCTION_MAIL
from harness.variants import Variant

pytestmark = [pytest.mark.containers, pytest.mark.xdist_group("containers")]

PASSWORD = "choose-a-password"  # the README's


@pytest.fixture(scope="session")
def engine() -> None:
    problem = engine_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs a Docker engine (bash .ci/containers): {problem}")
        pytest.skip(f"no Docker engine (bash .ci/containers installs one): {problem}")


@pytest.fixture(scope="module", params=CONTAINER_VARIANTS, ids=str)
def variant(request) -> Variant:
    return request.param


@pytest.fixture(scope="module")
def stack(engine, render, variant: Variant, tmp_path_factory) -> Stack:
    """The variant's stack, up and holding the README's first user."""
    # A copy of the clean render, committed, so there is a .git to leave out of the image.
    project = tmp_path_factory.mktemp("containers") / variant.name
    shutil.copytree(render(variant), project, symlinks=True)
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "Generated"]):
        git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"]
        subprocess.run([*git, *command], cwd=project, check=True)
    stack = Stack(project, f"tpl-{variant.name}-{uuid.uuid4().hex[:6]}")
    try:
        result = stack.shell(readme_commands(project))
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:] + stack.logs()
        yield stack
    finally:
        stack.remove()


def alice(stack: Stack) -> FirstUser:
    return FirstUser.of(stack.project, PASSWORD)


def curl(*args: str) -> tuple[int, str]:
    """Run curl as the README does; return (status, body)."""
    result = subprocess.run(
        ["curl", "-sS", "--max-time", "20", "-w", "\n%{http_code}", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    body, _, status = result.stdout.rpartition("\n")
    return int(status), body


def log_in(stack: Stack) -> dict:
    """The README's login line: form fields, as curl -d sends them."""
    form = [arg for item in alice(stack).credentials.items() for arg in ("-d", "=".join(item))]
    status, body = curl("-X", "POST", *form, f"{stack.url}/api/auth/token/")
    assert status == 200, body
    return json.loads(body)


def hello(stack: Stack, backend: Backend, token: str) -> tuple[int, str]:
    return curl("-H", f"Authorization: {backend.scheme} {token}", f"{stack.url}/api/hello/")


def run_image(stack: Stack, *command: str, env: dict[str, str] | None = None):
    """Run a command in a fresh container of the app's image, outside compose."""
    flags = [arg for name, value in (env or {}).items() for arg in ("-e", f"{name}={value}")]
    return subprocess.run(
        ["docker", "run", "--rm", *flags, stack.image(), *command],
        capture_output=True,
        text=True,
        timeout=120,
    )


def env_file_values(stack: Stack) -> dict[str, str]:
    lines = (stack.project / ".env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


# --- The stack as the README runs it -----------------------------------------------


def test_tutorial_flow_with_curl(stack: Stack, variant: Variant):
    backend = variant.backend
    tokens = log_in(stack)
    token = tokens[backend.token_field]

    status, body = hello(stack, backend, token)
    assert (status, json.loads(body)) == (200, {"message": f"Hello {alice(stack).login}"})

    # Logout; the refresh token goes in the body where the backend has one (JWT).
    refresh = ["-d", f"refresh={tokens['refresh']}"] if "refresh" in tokens else []
    authorization = f"Authorization: {backend.scheme} {token}"
    status, body = curl(
        "-X", "POST", "-H", authorization, *refresh, f"{stack.url}/api/auth/logout/"
    )
    assert status == 204, body
    status, body = hello(stack, backend, token)
    assert status == 401, body
    status, body = curl(f"{stack.url}/api/hello/")
    assert status == 401, body


def test_every_service_has_a_healthcheck_and_is_healthy(stack: Stack, variant: Variant):
    containers = stack.containers()
    expected = {"app", "worker"}
    if variant.answers.get("database") == "postgresql":
        expected.add("db")
    if variant.answers.get("cache") == "redis":
        expected.add("redis")
    assert {service_of(c) for c in containers} == expected
    for container in containers:
        assert container["Config"].get("Healthcheck", {}).get("Test"), service_of(container)
        assert container["State"]["Health"]["Status"] == "healthy", service_of(container)


def test_only_the_app_is_published_and_only_on_loopback(stack: Stack):
    for container in stack.containers():
        bindings = [
            binding
            for port_bindings in (container["HostConfig"]["PortBindings"] or {}).values()
            for binding in port_bindings or []
        ]
        if service_of(container) == "app":
            assert bindings == [{"HostIp": "127.0.0.1", "HostPort": str(stack.port)}]
        else:
            assert bindings == [], service_of(container)


def test_migrations_ran_in_the_container(stack: Stack):
    result = stack.compose("exec", "-T", "app", "python", "manage.py", "migrate", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_checks_pass_inside_the_container(stack: Stack):
    """The app's own environment, but for the plain-HTTP override that compose.yaml sets
    for this machine (the only warning the local stack gets, security.W008)."""
    (app,) = [c for c in stack.containers() if service_of(c) == "app"]
    env = dict(variable.split("=", 1) for variable in app["Config"]["Env"])
    check = ["python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"]

    local = stack.compose("exec", "-T", "app", *check)
    assert "(security.W008)" in local.stderr
    assert "identified 1 issue" in local.stderr

    del env["DJANGO_SECURE_SSL_REDIRECT"]
    result = run_image(stack, *check, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- The image ----------------------------------------------------------------------


def test_image_runs_production_settings_as_an_unprivileged_user(stack: Stack):
    config = json.loads(
        subprocess.run(
            ["docker", "image", "inspect", "-f", "{{json .Config}}", stack.image()],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert config["User"] == "app"
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in config["Env"]
    result = stack.compose("exec", "-T", "app", "sh", "-c", "id -u; echo $DJANGO_SETTINGS_MODULE")
    uid, settings = result.stdout.split()
    assert (int(uid) != 0, settings) == (True, "config.settings.production")
    # The code and the collected static files are root's: the app cannot change them.
    writable = stack.compose(
        "exec", "-T", "app", "find", "/app", "/venv", "-writable", "-not", "-type", "l"
    )
    assert writable.stdout.split() == []


def test_image_holds_no_compiler_no_secrets_no_git_no_tests(stack: Stack):
    assert forbidden_files(stack.image()) == []


def test_secrets_in_env_reach_no_layer_of_the_image(stack: Stack, tmp_path: Path):
    secrets = [value for name, value in env_file_values(stack).items() if "KEY" in name]
    assert secrets
    assert all(len(secret) >= 50 for secret in secrets)
    assert layers_containing(stack.image(), secrets, tmp_path) == []


def test_the_image_checks_see_what_they_look_for(stack: Stack, tmp_path: Path):
    """The two checks above, on an image built wrong on purpose: the project's .env,
    its tests and its .git copied in, a secret passed as a build argument."""
    secret = env_file_values(stack)["DJANGO_SECRET_KEY"]
    leaky = f"{stack.image()}-leaky"
    dockerfile = (
        f"FROM {stack.image()}\nARG LEAK\nRUN echo $LEAK > /tmp/leak\n"
        "COPY .env .copier-answers.yml /app/\nCOPY tests /app/tests\nCOPY .git /app/.git\n"
    )
    context = tmp_path / "context"
    shutil.copytree(stack.project, context, ignore=shutil.ignore_patterns(".dockerignore"))
    (context / "Dockerfile").write_text(dockerfile)
    build = ["docker", "build", "-q", "--build-arg", f"LEAK={secret}", "-t", leaky, str(context)]
    subprocess.run(
        build, env=os.environ | {"DOCKER_BUILDKIT": "0"}, check=True, capture_output=True
    )
    try:
        found = forbidden_files(leaky)
        assert {"/app/.env", "/app/.git", "/app/tests", "/app/.copier-answers.yml"} <= set(found)
        leaks = layers_containing(leaky, [secret], tmp_path)
        assert any(leak.startswith("history:") for leak in leaks), leaks
        assert any(leak.endswith("app/.env") for leak in leaks), leaks
        assert any(leak.endswith("tmp/leak") for leak in leaks), leaks
    finally:
        subprocess.run(["docker", "rmi", "-f", leaky], capture_output=True)


# --- Restarts, stops and bad configuration (these change the stack; they run last) ---


def test_users_and_tokens_survive_down_and_up(stack: Stack, variant: Variant):
    backend = variant.backend
    token = log_in(stack)[backend.token_field]

    result = stack.compose("down")
    assert result.returncode == 0, result.stderr
    assert stack.containers() == []
    result = stack.compose("up", "--wait")
    assert result.returncode == 0, result.stdout + result.stderr + stack.logs()

    status, body = hello(stack, backend, token)
    assert status == 200, body
    log_in(stack)


def test_the_database_is_there_before_the_app_serves(stack: Stack, variant: Variant):
    """PostgreSQL: an app started while the database is down waits, saying why, and
    serves once it is up. SQLite: the database file lives on the volume `down` keeps."""
    if variant.answers.get("database") == "postgresql":
        assert_the_app_waits_for_postgresql(stack)
        return
    (app,) = [c for c in stack.containers() if service_of(c) == "app"]
    mounts = {mount["Destination"]: mount for mount in app["Mounts"]}
    assert (mounts["/data"]["Type"], mounts["/data"]["Name"]) == ("volume", f"{stack.name}_data")
    result = stack.compose("exec", "-T", "app", "test", "-s", "/data/db.sqlite3")
    assert result.returncode == 0, result.stderr


def assert_the_app_waits_for_postgresql(stack: Stack) -> None:
    for command in (["stop", "app", "db"], ["up", "--detach", "--no-deps", "app"]):
        result = stack.compose(*command)
        assert result.returncode == 0, result.stderr
    (app,) = [c for c in stack.containers() if service_of(c) == "app"]
    deadline = time.monotonic() + 60
    while "Waiting for database" not in stack.logs("app"):
        assert time.monotonic() < deadline, stack.logs("app")
        time.sleep(0.5)

    result = stack.compose("up", "--wait")
    assert result.returncode == 0, result.stdout + result.stderr + stack.logs()
    (after,) = [c for c in stack.containers() if service_of(c) == "app"]
    # The same container, never restarted: it waited, saying why, then served.
    assert (after["Id"], after["RestartCount"]) == (app["Id"], 0)
    assert "Waiting for database (cause:" in stack.logs("app")
    log_in(stack)


def test_the_worker_mails_to_an_smtp_server_on_this_machine(stack: Stack):
    """compose.yaml's default: mail goes to port 1025 of this machine, which the
    containers reach as host.docker.internal (Docker's default bridge address).
    Here the port is the test's own, set in .env as the README says."""
    bridge = subprocess.run(
        ["docker", "network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    env_file = stack.project / ".env"
    saved = env_file.read_text()
    with smtp_server(host=bridge) as (inbox, port):
        env_file.write_text(f"{saved}EMAIL_URL=smtp://host.docker.internal:{port}\n")
        try:
            # Recreated for its new environment; the app keeps running as it was.
            result = stack.compose("up", "--detach", "--no-deps", "--wait", "worker")
            assert result.returncode == 0, result.stdout + result.stderr + stack.logs("worker")
            status, body = curl(
                "-X",
                "POST",
                "-d",
                "email=alice@example.com",
                f"{stack.url}/api/auth/password/reset/",
            )
            assert status == 202, body

            message = inbox.next(timeout=60)
        finally:
            env_file.write_text(saved)
            stack.compose("up", "--detach", "--no-deps", "--wait", "worker")
    assert message["To"] == "alice@example.com"
    text = message.get_body(("plain",)).get_content()
    assert "https://localhost:3000/reset-password/" in text


def test_every_container_stops_on_sigterm(stack: Stack):
    result = stack.compose("stop")
    assert result.returncode == 0, result.stderr
    exits = {service_of(c): c["State"]["ExitCode"] for c in stack.containers()}
    # 137 would mean SIGKILL after the grace period: SIGTERM was ignored.
    assert set(exits.values()) == {0}, exits
    result = stack.compose("start")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_the_image_refuses_to_serve_without(stack: Stack, missing: str):
    env = env_file_values(stack) | PRODUCTION_MAIL | {"DJANGO_ALLOWED_HOSTS": "localhost"}
    del env[missing]
    result = run_image(stack, env=env)
    # gunicorn stops when its workers cannot load the settings, which name the variable.
    assert result.returncode != 0
    assert missing in result.stdout + result.stderr


def test_compose_without_env_file_secrets_reports_the_app_unhealthy(stack: Stack):
    env_file = stack.project / ".env"
    saved = env_file.read_text()
    env_file.write_text("# secrets removed\n")
    try:
        stack.compose("down")
        result = stack.compose("up", "--wait", timeout=300)
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY" in stack.logs("app")
        (app,) = [c for c in stack.containers() if service_of(c) == "app"]
        assert app["State"]["Status"] == "exited"
        assert app["State"]["ExitCode"] != 0
    finally:
        env_file.write_text(saved)
        stack.compose("down")
