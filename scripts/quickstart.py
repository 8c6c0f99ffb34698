"""Render a project with the default answers, install it, create its first user, serve it.

Usage: python3 scripts/quickstart.py FOLDER [RUNSERVER ARGUMENTS ...]

Safe to run again: a FOLDER that already holds a project of this template is
not rendered again (your edits stay); it is installed from its own lock, and
started. A FOLDER holding anything else is refused and left as it is.

Steps, each what the README of this repository and of the project document:
  1. uv: from PATH, or installed into this repository's .venv (pinned as in
     requirements-test.txt);
  2. the release tags, recreated from CHANGELOG.md (scripts/tag_releases.py);
  3. `uvx copier@<pin> copy --trust --defaults --vcs-ref HEAD <this repo> FOLDER`;
  4. in FOLDER: `uv sync --locked`, `manage.py migrate`, the user alice
     (password change-me-now) unless she exists, then `manage.py runserver`.
Standard library only: it runs with any Python 3.11+, before anything is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
PINS = dict(
    line.split("==", 1)
    for line in (REPOSITORY / "requirements-test.txt").read_text().splitlines()
    if "==" in line and not line.startswith("#")
)
USER = {"username": "alice", "email": "alice@example.com", "password": "change-me-now"}
# Whether the first user exists, asked of the project's own user model.
USER_EXISTS = (
    "import sys; from django.contrib.auth import get_user_model; User = get_user_model(); "
    "sys.exit(0 if User._default_manager.filter("
    "**{{User.USERNAME_FIELD: {login!r} if User.USERNAME_FIELD != 'email' else {email!r}}}"
    ").exists() else 3)"
)


class Refused(Exception):
    pass


def say(message: str) -> None:
    print(f"quickstart: {message}", file=sys.stderr, flush=True)


def step(command: list[str], cwd: Path, **env: str | None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **{k: v for k, v in env.items() if v is not None}}
    for name in [k for k, v in env.items() if v is None]:
        environment.pop(name, None)
    return subprocess.run(command, cwd=cwd, env=environment, check=False, text=True)


def find_uv() -> str:
    """uv from PATH, else from this repository's .venv, installed there if need be."""
    on_path = shutil.which("uv")
    if on_path:
        return on_path
    venv = REPOSITORY / ".venv"
    uv = venv / "bin" / "uv"
    if not uv.exists():
        say(f"installing uv {PINS['uv']} into {venv}")
        if not (venv / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        pip = [venv / "bin" / "python", "-m", "pip", "install", "-q", f"uv=={PINS['uv']}"]
        subprocess.run(pip, check=True)
    return str(uv)


def from_this_template(folder: Path) -> bool:
    answers = folder / ".copier-answers.yml"
    if not answers.is_file():
        return False
    for line in answers.read_text(encoding="utf-8").splitlines():
        if line.startswith("_src_path:"):
            source = line.split(":", 1)[1].strip().strip("'\"")
            return Path(source).resolve() == REPOSITORY
    return False


def render(uv: str, folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()):
        if not from_this_template(folder):
            raise Refused(
                f"{folder} already holds files that are not a project of this template; "
                "nothing was written. Give a new or empty folder "
                "(python3 scripts/quickstart.py ../another_api), or move that one away."
            )
        say(f"{folder} already holds a project of this template: not rendering over it")
        return
    subprocess.run([sys.executable, REPOSITORY / "scripts" / "tag_releases.py"], check=True)
    copy = [uv, "tool", "run", f"copier@{PINS['copier']}", "copy", "--trust", "--defaults"]
    # UV: the lock task (hooks/lock.py) uses this same uv.
    command = [*copy, "--vcs-ref", "HEAD", str(REPOSITORY), str(folder)]
    copied = step(command, cwd=REPOSITORY, UV=uv)
    if copied.returncode:
        raise Refused(f"copier could not render {folder} (above)")


def start(uv: str, folder: Path, runserver: list[str]) -> int:
    python = str(folder / ".venv" / "bin" / "python")
    # The project's own .venv, whatever environment this script was started from.
    outside = {"UV_PROJECT_ENVIRONMENT": None, "VIRTUAL_ENV": None, "DJANGO_SETTINGS_MODULE": None}
    for command in ([uv, "sync", "--locked"], [python, "manage.py", "migrate"]):
        if step(command, cwd=folder, **outside).returncode:
            raise Refused(f"`{' '.join(command[-3:])}` failed in {folder} (above)")
    check = USER_EXISTS.format(login=USER["username"], email=USER["email"])
    exists = step(
        [python, "manage.py", "shell", "--verbosity", "0", "-c", check], cwd=folder, **outside
    )
    if exists.returncode not in (0, 3):
        raise Refused(f"could not look up the first user in {folder} (above)")
    if exists.returncode == 3:
        superuser = {f"DJANGO_SUPERUSER_{key.upper()}": value for key, value in USER.items()}
        create = [python, "manage.py", "createsuperuser", "--noinput"]
        if step(create, cwd=folder, **outside, **superuser).returncode:
            raise Refused(f"could not create the first user in {folder} (above)")
        say("created the user alice, password change-me-now")
    else:
        say("the user alice exists: left as she is")
    say(f"serving {folder}; run this same line again to start it again")
    os.chdir(folder)
    os.environ.pop("VIRTUAL_ENV", None)
    os.execv(python, [python, "manage.py", "runserver", *runserver])


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[0]).resolve()
    try:
        uv = find_uv()
        render(uv, folder)
        return start(uv, folder, argv[1:])
    except Refused as refusal:
        say(str(refusal))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
