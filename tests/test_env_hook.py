"""hooks/env_file.py: creates .env, appends only missing secrets, never changes a value."""

from __future__ import annotations

import subprocess
import sys

import pytest

from harness.runner import REPO_ROOT, output, production_env, run

HOOK = REPO_ROOT / "hooks" / "env_file.py"


def env_file(directory, *keys: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, HOOK, *keys], cwd=directory, capture_output=True, text=True, check=False
    )


def read_values(path):
    return dict(
        line.split("=", 1)
        for line in path.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )


def test_creates_env_with_a_random_secret(tmp_path):
    result = env_file(tmp_path, "DJANGO_SECRET_KEY")

    assert result.returncode == 0, output(result)
    secret = read_values(tmp_path / ".env")["DJANGO_SECRET_KEY"]
    assert len(secret) >= 50
    assert len(set(secret)) >= 5


def test_running_again_changes_nothing(tmp_path):
    env_file(tmp_path, "DJANGO_SECRET_KEY")
    before = (tmp_path / ".env").read_bytes()

    result = env_file(tmp_path, "DJANGO_SECRET_KEY")

    assert result.returncode == 0, output(result)
    assert (tmp_path / ".env").read_bytes() == before


def test_appends_only_missing_keys_and_keeps_existing_values(tmp_path):
    (tmp_path / ".env").write_text("# mine\nDJANGO_SECRET_KEY=kept\nexport OTHER=1")

    result = env_file(tmp_path, "DJANGO_SECRET_KEY", "JWT_SIGNING_KEY", "OTHER")

    assert result.returncode == 0, output(result)
    text = (tmp_path / ".env").read_text()
    assert text.startswith("# mine\nDJANGO_SECRET_KEY=kept\nexport OTHER=1\nJWT_SIGNING_KEY=")
    assert len(read_values(tmp_path / ".env")["JWT_SIGNING_KEY"]) >= 50
    assert text.count("JWT_SIGNING_KEY") == 1


@pytest.mark.parametrize("keys", [[], ["not a name"], ["1ABC"]], ids=["none", "space", "digit"])
def test_bad_arguments_are_refused(tmp_path, keys):
    result = env_file(tmp_path, *keys)

    assert result.returncode == 2
    assert not (tmp_path / ".env").exists()


def test_generated_settings_read_the_env_file(project, venv):
    """Production starts with the secrets from .env alone (none set in the environment)."""
    secrets = {"DJANGO_ENV_FILE": None, "DJANGO_SECRET_KEY": None, "JWT_SIGNING_KEY": None}
    environment = production_env() | secrets

    result = run(project, venv, "python", "manage.py", "check", "--deploy", **environment)

    assert result.returncode == 0, output(result)


def test_says_what_it_wrote_and_nothing_when_quiet_or_idle(tmp_path):
    (tmp_path / "quiet").mkdir()
    quiet = env_file(tmp_path / "quiet", "--quiet", "DJANGO_SECRET_KEY")
    wrote = env_file(tmp_path, "--", "DJANGO_SECRET_KEY")
    idle = env_file(tmp_path, "--", "DJANGO_SECRET_KEY")

    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    assert (tmp_path / "quiet" / ".env").is_file()
    assert (wrote.returncode, wrote.stderr) == (0, "Wrote DJANGO_SECRET_KEY to .env\n")
    assert (idle.returncode, idle.stdout, idle.stderr) == (0, "", "")
