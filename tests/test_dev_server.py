"""The generated README's flow against a running `manage.py runserver`, as a user would do it."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import yaml

from .harness import output, project_env, run

PASSWORD = "a-long-password-for-alice"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(url, data=None, headers=None):
    """Return (status, headers, JSON body) without raising on 4xx/5xx."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.headers, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.load(error)


@pytest.fixture
def server(project, venv, services, tmp_path):
    """Migrate a fresh database, create the first user, and serve the project on loopback."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"} | services
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    login_field, login = ("email", "alice@example.com")
    if answers["user_model"] != "email":
        login_field, login = ("username", "alice")
    superuser = {
        f"DJANGO_SUPERUSER_{login_field.upper()}": login,
        "DJANGO_SUPERUSER_EMAIL": "alice@example.com",
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }
    for command in (["migrate"], ["createsuperuser", "--noinput"]):
        result = run(project, venv, "python", "manage.py", *command, **env, **superuser)
        assert result.returncode == 0, output(result)

    port = free_port()
    log = tmp_path / "runserver.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            ["python", "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=project,
            env=project_env(venv, **env),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                request(f"{base_url}/api/health/")
                break
            except OSError:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "runserver did not answer within 60 s"
                time.sleep(0.2)
        yield base_url, {login_field: login, "password": PASSWORD}, answers["auth_backend"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_readme_curl_flow(server):

    base_url, credentials, backend = server
    scheme, token_field = ("Bearer", "access") if backend == "jwt" else ("Token", "token")

    status, headers, body = request(f"{base_url}/api/auth/token/", data=credentials)
    assert status == 200, body
    assert "no-store" in headers["Cache-Control"]
    token = body[token_field]

    authorization = {"Authorization": f"{scheme} {token}"}
    status, _, body = request(f"{base_url}/api/hello/", headers=authorization)
    assert (status, body) == (200, {"message": f"Hello {next(iter(credentials.values()))}"})

    status, headers, body = request(f"{base_url}/api/hello/")
    assert status == 401
    assert headers["WWW-Authenticate"].split()[0] == scheme
    assert "detail" in body

    status, _, body = request(f"{base_url}/api/health/")
    assert (status, body["status"]) == (200, "ok")
