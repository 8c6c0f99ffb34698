"""The template repository keeps its own promises: a true README, a CI that runs it, clean code."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from harness.runner import REPO_ROOT, actionlint, check_schema, output

README = (REPO_ROOT / "README.md").read_text()


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return [block.strip() for block in blocks]


def test_quick_start_is_two_command_lines():
    commands = quick_start_commands()

    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert commands[0] == "python3 scripts/quickstart.py ../my_api"
    assert "pytest" in commands[1]


def test_ci_runs_the_readmes_test_command():
    test_command = quick_start_commands()[1]

    assert test_command in (REPO_ROOT / ".ci" / "run").read_text()


def test_the_newest_release_names_a_commit_of_main():
    """Each release section of CHANGELOG.md names its commit (scripts/tag_releases.py
    tags it); the newest must too, and that commit must be in main's history."""
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text()
    sections = re.split(r"^## ", changelog, flags=re.MULTILINE)[1:]
    releases = [section for section in sections if re.match(r"\[\d+\.\d+\.\d+\]", section)]
    assert sections[0].startswith("[Unreleased]"), "the first section is the unreleased one"

    commit = re.search(r"^Commit: `([0-9a-f]{40})`$", releases[0], flags=re.MULTILINE)
    assert commit, f"the newest release names no commit: {releases[0].splitlines()[0]}"
    ancestry = subprocess.run(
        ["git", "merge-base", "--is-ancestor", commit[1], "HEAD"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ancestry.returncode == 0, f"{commit[1]} is not in this branch's history"


def test_template_code_passes_ruff():
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "ruff",
                *command,
                "--no-cache",
                "bench",
                "harness",
                "hooks",
                "scripts",
                "tests",
            ],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, output(result)


def test_template_ci_workflow_matches_the_github_workflow_schema():
    workflow = REPO_ROOT / ".github" / "workflows" / "ci.yml"

    result = check_schema("vendor.github-workflows", workflow)

    assert result.returncode == 0, output(result)
    linted = actionlint(workflow)
    assert linted.returncode == 0, output(linted)


def test_template_ci_jobs_run_every_test_module():
    jobs = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "ci.yml").read_text())["jobs"]
    matrix = jobs["test"]["strategy"]["matrix"]["include"]
    listed = {path for job in matrix for path in job["tests"].split()}

    modules = {f"tests/{path.name}" for path in (REPO_ROOT / "tests").glob("test_*.py")}
    assert listed == modules


def test_generated_projects_name_the_tool_versions_the_tests_run():
    """copier.yml's copier_version and uv_version reach the generated README, CI and
    Dockerfile; they are the versions requirements-test.txt pins for these tests."""
    pins = dict(
        line.split("==", 1)
        for line in (REPO_ROOT / "requirements-test.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    questions = yaml.safe_load((REPO_ROOT / "copier.yml").read_text())

    assert questions["copier_version"]["default"] == pins["copier"]
    assert questions["uv_version"]["default"] == pins["uv"]
