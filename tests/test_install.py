"""The default project installs into a fresh virtualenv exactly as its README says, and passes."""

from __future__ import annotations

import re
import sys

import pytest

from harness.runner import output, run
from harness.variants import DEFAULT


@pytest.mark.install
def test_default_project_installs_and_passes_as_its_readme_says(copie, tmp_path):
    result = copie.copy(extra_answers=dict(DEFAULT.answers))
    assert result.exit_code == 0, result.exception
    project = result.project_dir
    readme = (project / "README.md").read_text()
    steps = [
        ("python3 -m venv .venv", [sys.executable, "-m", "venv", ".venv"]),
        ('.venv/bin/pip install -e ".[dev]"', [".venv/bin/pip", "install", "-e", ".[dev]"]),
        (".venv/bin/python manage.py migrate", [".venv/bin/python", "manage.py", "migrate"]),
        (".venv/bin/pytest", [".venv/bin/pytest", "-p", "no:cacheprovider", "-q"]),
    ]

    for documented, command in steps:
        assert documented in readme, f"the README no longer says {documented!r}"
        step = run(project, None, *command, timeout=900)
        assert step.returncode == 0, f"{documented}\n{output(step)}"

    passed = re.search(r"(\d+) passed", step.stdout)
    assert passed, output(step)
    assert int(passed.group(1)) >= DEFAULT.min_tests
    installed = run(project, None, ".venv/bin/pip", "show", "my-api")
    assert installed.returncode == 0, output(installed)
