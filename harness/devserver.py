"""A rendered project served by `manage.py runserver` on loopback, set up the way its
README does it: a migrated database and a first user."""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import yaml

from .backends import Backend, backend_of
from .runner import output, project_env, run

PASSWORD = "a-long-password-for-alice"


# The redirect URI of the client `Backend.client_command` registers.
REDIRECT_URI = "http://127.0.0.1:8765/callback"


@dataclass(frozen=True)
class DevServer:
    url: str
    # The first user's login body: {"username" or "email": ..., "password": ...}.
    credentials: dict[str, str]
    backend: Backend
    project: Path
    # An authorization server's public client (Backend.client_command), else None.
    client_id: str | None = None

    @property
    def login(self) -> str:
        return next(value for name, value in self.credentials.items() if name != "password")

    def log_in(self, credentials: dict[str, str] | None = None) -> dict:
        """A fresh token for a user (the first one by default), as a client gets it:
        the login's JSON body, or the token endpoint's at the end of an authorization
        server's flow (through the project's own client, tests/oauth_login.py)."""
        credentials = credentials or self.credentials
        if self.client_id is None:
            request = urllib.request.Request(
                f"{self.url}/api/auth/token/",
                data=json.dumps(credentials).encode(),
                headers={"Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
                    return json.load(response)
            except urllib.error.HTTPError as error:
                with error:
                    raise RuntimeError(
                        f"Logging in failed ({error.code}): {error.read()}"
                    ) from None
        login = next(value for name, value in credentials.items() if name != "password")
        return self.oauth_login().obtain_tokens(
            self.url, login, credentials["password"], self.client_id, REDIRECT_URI
        )

    def oauth_login(self) -> ModuleType:
        """An authorization server project's standard-library client of its flow
        (tests/oauth_login.py): `authorize` does what a person does in a browser."""
        path = self.project / "tests" / "oauth_login.py"
        spec = importlib.util.spec_from_file_location("oauth_login", path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def token_header(self, credentials: dict[str, str] | None = None) -> str:
        """The Authorization header of a fresh token."""
        return f"{self.backend.scheme} {self.log_in(credentials)[self.backend.token_field]}"


@dataclass(frozen=True)
class FirstUser:
    """alice, the first user a generated README creates, in a project's user model."""

    login_field: str  # "username" or "email"
    login: str
    password: str

    @classmethod
    def of(cls, project: Path, password: str = PASSWORD) -> FirstUser:
        answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
        if answers["user_model"] == "email":
            return cls("email", "alice@example.com", password)
        return cls("username", "alice", password)

    @property
    def credentials(self) -> dict[str, str]:
        """The login body."""
        return {self.login_field: self.login, "password": self.password}

    @property
    def superuser_env(self) -> dict[str, str]:
        """The environment of `createsuperuser --noinput`, as the README sets it."""
        return {
            f"DJANGO_SUPERUSER_{self.login_field.upper()}": self.login,
            "DJANGO_SUPERUSER_EMAIL": "alice@example.com",
            "DJANGO_SUPERUSER_PASSWORD": self.password,
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60
) -> None:
    """Poll `url`'s /api/health/ until it answers; raise with the server's log if its
    process stops first or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/health/", timeout=5).close()  # loopback only
            return
        except OSError as error:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped:\n{log.read_text()[-3000:]}") from error
            if time.monotonic() > deadline:
                message = f"no answer within {timeout} s:\n{log.read_text()[-3000:]}"
                raise RuntimeError(message) from error
            time.sleep(0.2)


@contextmanager
def dev_server(project: Path, venv: Path, workdir: Path, **env: str) -> Iterator[DevServer]:
    """Migrate a fresh SQLite database in `workdir`, create the first user, and serve
    the project with its development settings and `env`."""
    port = free_port()
    env = {
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        # Passkeys need a domain: a browser opens http://localhost:<port> (with mfa).
        "DJANGO_WEBAUTHN_ORIGINS": f"http://localhost:{port}",
    } | env
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    backend = backend_of(answers)
    user = FirstUser.of(project)
    for command in (["migrate"], ["createsuperuser", "--noinput"]):
        result = run(project, venv, "python", "manage.py", *command, **env, **user.superuser_env)
        assert result.returncode == 0, output(result)
    client_id = None
    if backend.client_command:
        result = run(project, venv, "python", "manage.py", *backend.client_command, **env)
        assert result.returncode == 0, output(result)
        client_id = result.stdout.split("client_id: ", 1)[1].split()[0]

    log = workdir / "runserver.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            ["python", "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=project,
            env=project_env(venv, **env),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log)
        yield DevServer(url, user.credentials, backend, project, client_id)
    finally:
        process.terminate()
        process.wait(timeout=10)
