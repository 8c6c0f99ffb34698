"""The default project installs as its README says, from its lock file, and passes; pip's
path, CI and the Dockerfile install the very same pins."""

from __future__ import annotations

import re
import sys

import pytest
import yaml

from harness.runner import REPO_ROOT, output, run, uv
from harness.variants import DEFAULT

UV_SYNC = "uv sync --locked"
UV_VERSION = yaml.safe_load((REPO_ROOT / "copier.yml").read_text())["uv_version"]["default"]


def installed_versions(project, python: str) -> dict[str, str]:
    """name -> version of what the virtualenv of `python` holds, as pip reports it."""
    listed = run(project, None, python, "-m", "pip", "list", "--format=json")
    if listed.returncode:  # a uv-made virtualenv has no pip of its own
        listed = run(project, None, uv(), "pip", "list", "--format=json", "--python", python)
    assert listed.returncode == 0, output(listed)
    packages = yaml.safe_load(listed.stdout)
    return {
        package["name"].lower().replace("_", "-"): package["version"]
        for package in packages
        if package["name"] not in ("pip", "setuptools")
    }


@pytest.fixture
def default_project(copie):
    result = copie.copy(extra_answers=dict(DEFAULT.answers))
    assert result.exit_code == 0, result.exception
    return result.project_dir


@pytest.mark.install
def test_default_project_installs_and_passes_as_its_readme_says(default_project):
    project = default_project
    readme = (project / "README.md").read_text()
    steps = [
        (UV_SYNC, [uv(), "sync", "--locked"]),
        (".venv/bin/python manage.py migrate", [".venv/bin/python", "manage.py", "migrate"]),
        (".venv/bin/pytest --cov", [".venv/bin/pytest", "--cov", "-p", "no:cacheprovider", "-q"]),
    ]

    for documented, command in steps:
        assert documented in readme, f"the README no longer says {documented!r}"
        step = run(project, None, *command, timeout=900, UV_PROJECT_ENVIRONMENT=None)
        assert step.returncode == 0, f"{documented}\n{output(step)}"

    passed = re.search(r"(\d+) passed", step.stdout)
    assert passed, output(step)
    assert int(passed.group(1)) >= DEFAULT.min_tests


@pytest.mark.install
def test_pip_path_installs_the_pins_uv_installs(default_project):
    project = default_project
    readme = (project / "README.md").read_text()
    pip_path = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt"
    assert pip_path in readme, "the README no longer gives pip's path"
    by_uv = run(project, None, uv(), "sync", "--locked", UV_PROJECT_ENVIRONMENT=None)
    assert by_uv.returncode == 0, output(by_uv)
    for step in (
        [sys.executable, "-m", "venv", "pip-venv"],
        ["pip-venv/bin/pip", "install", "-q", "-r", "requirements.txt"],
    ):
        installed = run(project, None, *step, timeout=900)
        assert installed.returncode == 0, output(installed)

    assert installed_versions(project, "pip-venv/bin/python") == installed_versions(
        project, ".venv/bin/python"
    )


def test_ci_the_dockerfile_and_the_readme_install_from_the_lock(default_project):
    """Every install the project documents goes through uv.lock, with the same uv."""
    project = default_project
    workflow = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())
    for name, job in workflow["jobs"].items():
        runs = [step.get("run", "") for step in job["steps"]]
        setups = [
            step for step in job["steps"] if step.get("uses", "").startswith("astral-sh/setup-uv@")
        ]
        assert not any("pip install" in command for command in runs), f"CI job {name} uses pip"
        if "docker compose up --build --wait" in runs:
            continue  # the image installs from the lock: the Dockerfile, below
        assert UV_SYNC in runs, f"CI job {name} does not install from uv.lock"
        assert [setup["with"]["version"] for setup in setups] == [UV_VERSION]

    dockerfile = (project / "Dockerfile").read_text()
    assert re.search(r"^RUN uv sync --locked --no-dev( |$)", dockerfile, re.MULTILINE)
    assert f"RUN pip install uv=={UV_VERSION}\n" in dockerfile
    assert "COPY pyproject.toml uv.lock ./" in dockerfile
    assert UV_SYNC in (project / "README.md").read_text()


def test_a_lock_that_pyproject_outgrew_fails_with_uvs_own_message(default_project):
    """What CI and the Dockerfile run, after someone edits pyproject.toml and forgets to
    re-lock: uv stops and names the problem."""
    project = default_project
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('"pytest-django>=4.9,<5",', '"pytest-django>=4.9,<4.12",')
    )

    result = run(project, None, uv(), "sync", "--locked", UV_PROJECT_ENVIRONMENT=None)

    assert result.returncode != 0
    message = " ".join(result.stderr.split())  # uv wraps its lines to the terminal's width
    assert "needs to be updated, but `--locked` was provided" in message, output(result)
