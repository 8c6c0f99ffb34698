"""A rendered project's `compose.yaml` stack, driven with the real Docker CLI the way
its README drives it. The engine, Compose v2 and the base images come from
`.ci/containers` (no image registry is reachable here)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from .devserver import free_port
from .variants import DEFAULT, VARIANTS

# Built and booted by tests/test_containers.py and bench/containers.py: SQLite and the
# database cache on Python 3.11; PostgreSQL and Redis on 3.11; JWT on PostgreSQL on
# Python 3.13 (Debian makes base images for 3.11 and 3.13; none ships 3.12).
CONTAINER_VARIANTS = [DEFAULT] + [
    variant
    for variant in VARIANTS
    if variant.name
    in {"username-authtoken-registration-browser-postgresql-redis", "email-jwt-postgresql-py313"}
]

# The page and section of the generated docs that the stack follows, command for command.
DOCKER_PAGE = "docs/deployment.md"
README_SECTION = "## Run with Docker"


def engine_problem() -> str | None:
    """Why the container tests cannot run here, or None when they can."""
    for command in (["docker", "info"], ["docker", "compose", "version"]):
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"`{' '.join(command)}` failed: {error}"
        if result.returncode != 0:
            return f"`{' '.join(command)}` failed: {result.stderr.strip()[-500:]}"
    return None


def service_of(container: dict) -> str:
    """The Compose service a container (as `docker inspect` shows it) belongs to."""
    return container["Config"]["Labels"]["com.docker.compose.service"]


def readme_commands(project: Path) -> str:
    """The first shell block of the docs' Docker section, as written."""
    readme = (project / DOCKER_PAGE).read_text(encoding="utf-8")
    section = readme[readme.index(README_SECTION) :]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match, f"no sh block under {README_SECTION!r}"
    return match.group(1)


@dataclass
class Stack:
    project: Path
    name: str
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        # The README's commands with only the project name and the published port
        # chosen (both documented Compose variables), so runs never collide.
        return os.environ | {"COMPOSE_PROJECT_NAME": self.name, "APP_PORT": str(self.port)}

    def run(self, *argv: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        """A command in the project's folder, with the stack's environment."""
        return subprocess.run(
            argv, cwd=self.project, env=self.env, capture_output=True, text=True, timeout=timeout
        )

    def shell(self, script: str) -> subprocess.CompletedProcess[str]:
        return self.run("bash", "-euo", "pipefail", "-c", script)

    def compose(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        return self.run("docker", "compose", *args, timeout=timeout)

    def containers(self) -> list[dict]:
        """Every container of the stack, running or not, as `docker inspect` sees it."""
        ids = self.compose("ps", "--all", "--quiet").stdout.split()
        if not ids:
            return []
        result = subprocess.run(
            ["docker", "inspect", *ids], capture_output=True, text=True, check=True
        )
        return json.loads(result.stdout)

    def image(self) -> str:
        """The app's image, as Compose names it."""
        return f"{self.name}-app"

    def logs(self, service: str = "") -> str:
        result = self.compose("logs", "--no-color", *([service] if service else []))
        return result.stdout + result.stderr

    def remove(self) -> None:
        """Everything the stack made: containers, network, volumes and the app's image."""
        self.compose("down", "--volumes", "--remove-orphans", "--rmi", "local", timeout=120)


# What a runtime image must not hold, outside the Python installs (/usr, /venv), whose
# third-party packages may ship their own tests.
FORBIDDEN = (
    "for tool in gcc cc c++ clang make; do command -v $tool; done;"
    " find / -xdev \\( -name .env -o -name .git -o -name .venv -o -name tests"
    " -o -name conftest.py -o -name 'test_*.py' -o -name .copier-answers.yml \\)"
    " -not -path '/venv/*' -not -path '/usr/*' -print"
)


def forbidden_files(image: str) -> list[str]:
    """Compilers on PATH and files from FORBIDDEN found in a container of `image`."""
    result = subprocess.run(
        ["docker", "run", "--rm", "--user", "root", "--entrypoint", "sh", image, "-c", FORBIDDEN],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def layers_containing(image: str, needles: list[str], workdir: Path) -> list[str]:
    """The files of `docker save image` (layers opened, every file in them read as
    bytes) and the lines of `docker history` that hold any of `needles`."""
    history = subprocess.run(
        ["docker", "history", "--no-trunc", "--format", "{{.CreatedBy}}", image],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    found = [f"history: {line}" for line in history if any(n in line for n in needles)]
    archive = workdir / "image.tar"
    subprocess.run(["docker", "save", "-o", str(archive), image], check=True)
    encoded = [needle.encode() for needle in needles]
    with tarfile.open(archive) as saved:
        for member in filter(tarfile.TarInfo.isfile, saved):
            data = saved.extractfile(member).read()
            if not member.name.endswith(".tar"):
                found += [member.name] * any(needle in data for needle in encoded)
                continue
            with tarfile.open(fileobj=io.BytesIO(data)) as layer:
                for file in filter(tarfile.TarInfo.isfile, layer):
                    content = layer.extractfile(file).read()
                    if any(needle in content for needle in encoded):
                        found.append(f"{member.name}: {file.name}")
    archive.unlink()
    return found
