"""The README's first line, as a newcomer runs it: it serves, it runs again, it refuses
a folder that holds something else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from harness.devserver import free_port, wait_until_healthy
from harness.runner import REPO_ROOT, output, project_env, uv

QUICKSTART = REPO_ROOT / "scripts" / "quickstart.py"


def quickstart_env() -> dict[str, str]:
    """The caller's environment with the tests' uv first on PATH, as a user's would be."""
    env = project_env()
    env["PATH"] = f"{Path(uv()).parent}{os.pathsep}{env['PATH']}"
    return env


def serve(folder: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Run the quick start for `folder` until its server answers; return it and its URL."""
    port = free_port()
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [sys.executable, QUICKSTART, folder, "--noreload", f"127.0.0.1:{port}"],
            env=quickstart_env(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    wait_until_healthy(url, process, log, timeout=300)
    return process, url


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=10)


def call(url: str, body: dict[str, str] | None = None, token: str | None = None) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        return json.load(response)


def test_first_line_serves_and_serves_again(tmp_path):
    folder = tmp_path / "my_api"
    process, url = serve(folder, tmp_path / "first.log")
    try:
        login = {"username": "alice", "password": "change-me-now"}
        token = call(f"{url}/api/auth/token/", login)["token"]
        assert call(f"{url}/api/hello/", token=token) == {"message": "Hello alice"}
    finally:
        stop(process)
    first = (tmp_path / "first.log").read_text()
    assert "created the user alice" in first
    assert (folder / "uv.lock").is_file()
    readme = folder / "README.md"
    readme.write_text(readme.read_text() + "\nOur own notes.\n")

    process, url = serve(folder, tmp_path / "second.log")
    try:
        login = {"username": "alice", "password": "change-me-now"}
        assert call(f"{url}/api/auth/token/", login)["token"]
    finally:
        stop(process)
    second = (tmp_path / "second.log").read_text()
    assert "already holds a project of this template: not rendering over it" in second
    assert "the user alice exists: left as she is" in second
    assert readme.read_text().endswith("\nOur own notes.\n"), "the project was rendered over"


def test_a_folder_holding_something_else_is_refused_untouched(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("buy milk\n")

    result = subprocess.run(
        [sys.executable, QUICKSTART, folder],
        env=quickstart_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert result.returncode == 1, output(result)
    assert f"{folder} already holds files that are not a project of this template" in (
        result.stderr
    )
    assert "nothing was written" in result.stderr
    assert [path.name for path in folder.iterdir()] == ["todo.txt"]
    assert (folder / "todo.txt").read_text() == "buy milk\n"
