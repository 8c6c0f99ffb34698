"""Benchmarks of the template and its rendered projects; writes BENCHMARKS.md.

Run: bash .ci/services && bash .ci/containers && source .ci/services.env
     .venv/bin/python -m bench

Every figure in BENCHMARKS.md comes from one run on one machine: compare rows of
one run, not runs on different machines. Tests never assert on these numbers.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from harness.runner import REPO_ROOT

from . import (
    api,
    browser,
    connections,
    containers,
    firsthour,
    load,
    mail,
    operations,
    render,
    suites,
    targets,
)

SECTIONS = {
    "rendering": render.measure,
    "token authentication": api.measure,
    "PostgreSQL connections": connections.measure,
    "test suites": suites.measure,
    "the first hour": firsthour.measure,
    "containers": containers.measure,
    "operations": operations.measure,
    "password-reset mail": mail.measure,
    "browser clients": browser.measure,
}


def header(seconds: float) -> list[str]:
    versions = ", ".join(
        f"{package} {importlib.metadata.version(package)}" for package in ("copier", "pytest")
    )
    return [
        "# Benchmarks",
        "",
        f"Written by `python -m bench` on {datetime.date.today().isoformat()} in one run of "
        f"{seconds / 60:.0f} min: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"{versions}; load from {load.tool()}. Generated projects run on the versions their "
        "own uv.lock pins, resolved within pyproject.toml's bounds at render (listed under each "
        "section).",
        "",
    ]


def main() -> int:
    start = time.perf_counter()
    sections = []
    figures = targets.Figures()
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        for name, measure in SECTIONS.items():
            print(f"bench: {name}", file=sys.stderr)
            sections.append(measure(Path(scratch), figures))
    sections.insert(0, targets.report(figures))
    text = "\n".join(header(time.perf_counter() - start) + "\n\n".join(sections).splitlines())
    (REPO_ROOT / "BENCHMARKS.md").write_text(text + "\n")
    print(text)
    # The figures are kept either way; a failed test command fails the run.
    return 1 if "FAILED:" in text else 0


if __name__ == "__main__":
    sys.exit(main())
