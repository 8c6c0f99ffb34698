"""hooks/lock.py: a new project gets uv.lock and requirements.txt, or a clear refusal."""

from __future__ import annotations

import subprocess
import sys

from harness.runner import REPO_ROOT, output, project_env, tool_venv
from harness.variants import DEFAULT

COPIER = "copier==9.19.1"
# No uv anywhere: not on PATH, not named by UV, not importable.
NO_UV = {"PATH": "/usr/bin:/bin", "UV": None}


def test_without_uv_the_hook_says_what_to_install(tmp_path):
    result = subprocess.run(
        [sys.executable, "-I", "-S", REPO_ROOT / "hooks" / "lock.py", "--"],
        cwd=tmp_path,
        env=project_env(**NO_UV),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1, output(result)
    assert "uv is needed to lock the project's dependencies" in result.stderr
    assert "pip install uv" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_without_uv_copier_refuses_and_writes_nothing(tmp_path):
    """copier from an environment without uv, and no uv on PATH: the copy fails with the
    hook's message and copier removes the half-made project."""
    copier = tool_venv(COPIER) / "bin" / "copier"
    destination = tmp_path / "my_api"
    answers = [f"--data={name}={value}" for name, value in DEFAULT.answers.items()]
    command = [copier, "copy", "--trust", "--defaults", "--vcs-ref", "HEAD", *answers]
    result = subprocess.run(
        [*command, str(REPO_ROOT), str(destination)],
        env=project_env(**NO_UV),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0, output(result)
    assert "uv is needed to lock the project's dependencies" in result.stderr
    assert not destination.exists()
