"""A newcomer's first hour, from fresh clones of this repository: the README's quick start
to its first answered request, and the README's test command, cold and warm, by stage."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from harness.devserver import free_port, wait_until_healthy
from harness.runner import REPO_ROOT

from .targets import Figures

QUICK_START = "python3 scripts/quickstart.py ../my_api"
TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -q -r requirements-test.txt "
    "&& .venv/bin/pytest -n auto"
)
# Test modules by the stage of the work they stand for.
STAGES = {
    "generated suites, linters and checks": [
        "test_generated_projects",
        "test_update",
        "test_day_two",
        "test_install",
        "test_env_hook",
    ],
    "servers (gunicorn, PostgreSQL, Redis)": ["test_services"],
    "browser, development server and mail": [
        "test_dev_server",
        "test_quickstart",
        "test_mail_flow",
        "test_oauth2_clients",
        "test_browser_clients",
        "test_second_factors",
        "test_races",
    ],
    "fuzzing and generated client": ["test_fuzz", "test_client"],
    "containers (build, boot, stop)": ["test_containers"],
    "rendering, questions and repository": [
        "test_render",
        "test_questions",
        "test_registry",
        "test_seams",
        "test_lock_hook",
        "test_repository",
        "test_bench",
    ],
}
# Variables of this process that would point a clone at this checkout's caches.
OWN_CACHES = ("TEMPLATE_VENV_CACHE", "TEMPLATE_UV_CACHE", "TEMPLATE_STAGE_LOG", "UV_CACHE_DIR")


@dataclass
class TestRun:
    seconds: float
    summary: str
    failed: bool
    stage_seconds: dict[str, float] = field(default_factory=dict)
    environment_builds: tuple[int, float] = (0, 0.0)


def clean_env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OWN_CACHES and k != "VIRTUAL_ENV"}
    return env | changes


def fresh_clone(scratch: Path, name: str) -> Path:
    clone = scratch / name / "drf-token-api"
    clone.parent.mkdir(parents=True)
    subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], check=True)
    return clone


def stage_of(classname: str) -> str:
    module = classname.rsplit(".", 1)[-1]
    return next((stage for stage, modules in STAGES.items() if module in modules), module)


def test_command(clone: Path, label: str, **env: str) -> TestRun:
    """The README's test command in `clone`; per-stage sums of the tests' durations from
    its JUnit report, and the environment builds the harness timed."""
    junit = clone.parent / f"junit-{label}.xml"
    stages_log = clone.parent / f"stages-{label}.jsonl"
    print(f"  the test command, {label}", file=sys.stderr)
    start = time.perf_counter()
    result = subprocess.run(
        ["bash", "-c", TEST_COMMAND],
        cwd=clone,
        env=clean_env(
            PYTEST_ADDOPTS=f"--junitxml={junit}", TEMPLATE_STAGE_LOG=str(stages_log), **env
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1].strip("= ")
    if result.returncode:
        print(result.stdout[-4000:], result.stderr[-2000:], file=sys.stderr)
    stage_seconds: dict[str, float] = defaultdict(float)
    if junit.exists():
        for case in ET.parse(junit).getroot().iter("testcase"):
            stage_seconds[stage_of(case.get("classname", ""))] += float(case.get("time", 0))
    builds = (
        [json.loads(line) for line in stages_log.read_text().splitlines()]
        if (stages_log.exists())
        else []
    )
    return TestRun(
        seconds,
        summary,
        bool(result.returncode),
        dict(stage_seconds),
        (len(builds), sum(build["seconds"] for build in builds)),
    )


def disk_bytes(*paths: Path) -> int:
    """Bytes under `paths`, each hard-linked file counted once (as the disk holds it)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for root in paths:
        for path in root.rglob("*") if root.exists() else []:
            stat = path.lstat()
            if path.is_file() and not path.is_symlink() and (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_blocks * 512
    return total


def quick_start(clone: Path, uv_cache: Path) -> float:
    """Seconds from the README's first line to the first answer of /api/health/."""
    port = free_port()
    command = [*QUICK_START.split()[:-1], "../my_api", "--noreload", f"127.0.0.1:{port}"]
    # Only Python and git, as the README assumes: no uv on PATH, uv's cache where given.
    path = os.pathsep.join(
        part for part in os.environ["PATH"].split(os.pathsep) if not (Path(part) / "uv").exists()
    )
    start = time.perf_counter()
    log = clone.parent / "quickstart.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=clone,
            env=clean_env(PATH=path, UV_CACHE_DIR=str(uv_cache), PIP_NO_CACHE_DIR="1"),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process, log, timeout=600)
        return time.perf_counter() - start
    finally:
        process.terminate()
        process.wait(timeout=10)


def measure(scratch: Path, figures: Figures) -> str:
    uv_cache = scratch / "uv-cache-for-quick-starts"
    print("  quick start, cold", file=sys.stderr)
    cold_start = quick_start(fresh_clone(scratch, "quickstart-cold"), uv_cache)
    print("  quick start, warm", file=sys.stderr)
    warm_start = quick_start(fresh_clone(scratch, "quickstart-warm"), uv_cache)
    shutil.rmtree(uv_cache, ignore_errors=True)

    clone = fresh_clone(scratch, "tests")
    # Cold: a new clone's .cache is empty, and pip may not use its own cache either.
    cold = test_command(clone, "cold", PIP_NO_CACHE_DIR="1")
    disk = disk_bytes(clone / ".cache")
    warm = test_command(clone, "warm")
    figures.quick_start_seconds = (cold_start, warm_start)
    figures.template_minutes = (cold.seconds / 60, warm.seconds / 60)
    figures.cache_gb = disk / 1e9
    stage_rows = [
        f"| {stage} | {cold.stage_seconds.get(stage, 0):.0f} | "
        f"{warm.stage_seconds.get(stage, 0):.0f} |"
        for stage in STAGES
    ]
    builds = [
        f"| virtualenv builds (uv, timed by the harness) | {cold.environment_builds[1]:.0f} "
        f"({cold.environment_builds[0]} built) | {warm.environment_builds[1]:.0f} "
        f"({warm.environment_builds[0]} built) |"
    ]
    failed = [run.summary for run in (cold, warm) if run.failed]
    return "\n".join(
        [
            "## The first hour",
            "",
            "From fresh clones of this repository (`bench/firsthour.py`), on "
            f"{os.cpu_count()} cores, with the services of `.ci/services` and the engine of "
            "`.ci/containers` already running.",
            "",
            f"The README's quick start, `{QUICK_START}`, until `/api/health/` first answers, "
            "with no uv on `PATH` (the script installs the pinned uv into the clone's `.venv`, "
            "pip without its cache): "
            f"**{cold_start:.0f} s** with an empty uv cache (cold), **{warm_start:.0f} s** "
            "in a second fresh clone once that cache holds the packages (warm).",
            "",
            f"The README's test command, `{TEST_COMMAND}`: "
            f"**{cold.seconds / 60:.1f} min** cold (new clone: empty `.cache/`, pip without "
            f"its cache; {cold.summary}), **{warm.seconds / 60:.1f} min** warm (run again in "
            f"that clone; {warm.summary}). `.cache/` then held **{disk / 1e9:.2f} GB** "
            "(hard links counted once: each virtualenv is links into uv's cache there).",
            "",
            "Per stage, the sum of its tests' durations from the JUnit report. Tests run on "
            "every core at once, so the sums exceed the wall time; a test that builds a "
            "virtualenv first counts that build too (the harness times the builds on their "
            "own, last row).",
            "",
            "| stage | cold s | warm s |",
            "|---|---|---|",
            *stage_rows,
            *builds,
            *[f"\nFAILED: {summary}" for summary in failed],
        ]
    )
