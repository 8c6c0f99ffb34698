"""Wall time of each variant's generated test suite."""

from __future__ import annotations

import contextlib
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from harness.runner import (
    create_postgres_database,
    drop_postgres_database,
    output,
    postgres_url,
    project_venv,
    read_junit,
    redis_database,
    run_suite,
)
from harness.variants import VARIANTS, Variant

from .project import render_project
from .targets import Figures

# Each suite runs this many times, and the quickest counts: the first run of a
# virtualenv also pays for reading it from disk.
RUNS = 2


@contextlib.contextmanager
def services(variant: Variant) -> Iterator[dict[str, str]]:
    """The servers a variant's suite needs, as the template's tests give them."""
    env: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        if variant.answers.get("database") == "postgresql":
            url = postgres_url(f"bench_{uuid.uuid4().hex[:8]}")
            create_postgres_database(url)
            stack.callback(drop_postgres_database, url)
            env["DATABASE_URL"] = url
        if variant.answers.get("cache") == "redis":
            redis_url = stack.enter_context(redis_database())
            env |= {"DJANGO_CACHE_URL": redis_url, "REDIS_URL": redis_url}
        yield env


def generated_suite(scratch: Path, variant: Variant) -> tuple[float, int]:
    project = render_project(scratch / f"suite-{variant}", variant.answers)
    venv = project_venv(project)
    times = []
    for _ in range(RUNS):
        with services(variant) as env:
            start = time.perf_counter()
            report = scratch / f"junit-{variant}.xml"
            result, _ = run_suite(project, venv, report, "--cov", "-q", **env)
            times.append(time.perf_counter() - start)
        assert result.returncode == 0, output(result)
    return min(times), read_junit(scratch / f"junit-{variant}.xml").passed


def measure(scratch: Path, figures: Figures) -> str:
    rows = []
    for variant in VARIANTS:
        print(f"  suite of {variant}", file=sys.stderr)
        seconds, passed = generated_suite(scratch, variant)
        rows.append(f"| {variant} | {passed} | {seconds:.1f} |")
        figures.suite_seconds[variant.name] = seconds
    return "\n".join(
        [
            "## Test suites",
            "",
            "Wall time of each variant's own suite (`python -m pytest`, in its virtualenv, the "
            "quicker of two runs, "
            "interpreter start-up included; PostgreSQL and Redis variants against the local "
            'servers; `bench/suites.py`). The template\'s own test command: "The first hour".',
            "",
            "| variant | tests | seconds |",
            "|---|---|---|",
            *rows,
        ]
    )
