"""How long copier takes to render each variant, against copier's own floor: a
minimal template of 40 small Jinja files, rendered the same way in the same run."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from copier import run_copy

from harness.runner import REPO_ROOT
from harness.variants import VARIANTS

from .project import render_project
from .targets import Figures

IN_PROCESS_ROUNDS = 5
CLI_ROUNDS = 3
FLOOR_FILES = 40

FLOOR_COPIER_YML = """\
_subdirectory: template
project_name:
  type: str
  default: My API
project_slug:
  type: str
  default: "{{ project_name | lower | replace(' ', '_') }}"
description:
  type: str
  default: A minimal template
"""

FLOOR_FILE = """\
\"\"\"{{ project_name }}: {{ description }}\"\"\"

from {{ project_slug }} import settings

NAME = "{{ project_slug }}"
"""


def floor_template(scratch: Path) -> Path:
    """A git repository holding a copier template of FLOOR_FILES files in 4 folders."""
    template = scratch / "floor-template"
    (template / "template").mkdir(parents=True)
    (template / "copier.yml").write_text(FLOOR_COPIER_YML)
    for index in range(FLOOR_FILES):
        folder = template / "template" / "{{ project_slug }}" / f"package{index % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"module{index}.py.jinja").write_text(FLOOR_FILE)
    git = ["git", "-C", str(template), "-c", "user.name=bench", "-c", "user.email=bench@localhost"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "floor"], check=True)
    return template


def in_process(
    source: Path, answers: dict[str, object], scratch: Path, skip_tasks: bool = False
) -> float:
    times = []
    for attempt in range(IN_PROCESS_ROUNDS):
        start = time.perf_counter()
        run_copy(
            str(source),
            scratch / f"in-process-{time.monotonic_ns()}-{attempt}",
            data=answers,
            defaults=True,
            unsafe=True,
            quiet=True,
            vcs_ref="HEAD",
            skip_tasks=skip_tasks,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli(source: Path, answers: dict[str, object], scratch: Path) -> float:
    copier = Path(sys.executable).with_name("copier")
    data = [f"--data={name}={value}" for name, value in answers.items()]
    times = []
    for attempt in range(CLI_ROUNDS):
        destination = scratch / f"cli-{time.monotonic_ns()}-{attempt}"
        command = [str(copier), "copy", "--defaults", "--trust", "--quiet", "--vcs-ref=HEAD"]
        start = time.perf_counter()
        subprocess.run([*command, *data, str(source), str(destination)], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def files_in(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file())


def measure(scratch: Path, figures: Figures) -> str:
    floor = floor_template(scratch)
    floor_in_process = in_process(floor, {}, scratch)
    floor_cli = cli(floor, {}, scratch)
    floor_per_source = floor_in_process / FLOOR_FILES
    sources = files_in(REPO_ROOT / "template")
    conditional = sum(1 for path in (REPO_ROOT / "template").rglob("*") if "{%" in path.name)
    rows = [
        f"| copier's floor | {FLOOR_FILES} | {FLOOR_FILES} "
        f"| {floor_in_process * 1000:.0f} | 1.00x | {floor_per_source * 1000:.1f} | 1.00x "
        f"| {floor_cli * 1000:.0f} | 1.00x |"
    ]
    for variant in VARIANTS:
        print(f"  render {variant}", file=sys.stderr)
        answers = {
            name: str(value).lower() if isinstance(value, bool) else value
            for name, value in variant.answers.items()
        }
        seconds = in_process(REPO_ROOT, dict(variant.answers), scratch)
        seconds_cli = cli(REPO_ROOT, answers, scratch)
        files = files_in(render_project(scratch / f"files-{variant}", variant.answers))
        per_source = seconds / sources
        if variant.name == "default":
            without_tasks = in_process(REPO_ROOT, dict(variant.answers), scratch, skip_tasks=True)
            figures.render_tasks_ms = (seconds - without_tasks) * 1000
            figures.render_ratio = seconds / floor_in_process
            figures.render_cli_ratio = seconds_cli / floor_cli
            figures.render_per_source_ratio = per_source / floor_per_source
            figures.render_sources = sources
            figures.render_files = files
        rows.append(
            f"| {variant} | {sources} | {files} | {seconds * 1000:.0f} "
            f"| {seconds / floor_in_process:.2f}x | {per_source * 1000:.1f} "
            f"| {per_source / floor_per_source:.2f}x "
            f"| {seconds_cli * 1000:.0f} | {seconds_cli / floor_cli:.2f}x |"
        )
    return "\n".join(
        [
            "## Rendering",
            "",
            f"Median wall time of `copier copy --defaults` from a git repository at `HEAD`: "
            f"{IN_PROCESS_ROUNDS} renders in process (`run_copy`) and {CLI_ROUNDS} through the "
            "`copier` command, each into a new folder, tasks included (`bench/render.py`). The "
            f"floor is a template of {FLOOR_FILES} small Jinja files and three questions, "
            "rendered the same way in the same run. Copier's cost grows with the template's "
            "source files: it renders every part of every source path as a Jinja template, "
            "uncached, then renders the file and checks it against git's index. The template "
            f"has {sources} source files, {conditional} of them named by a condition on the "
            "answers (the files of the other backends and options), so the in-process time is "
            "also given per source file; the command adds a fixed start-up to both.",
            "",
            "| variant | source files | files written | in process ms | x floor "
            "| ms per source file | x floor | CLI ms | x floor |",
            "|---|---|---|---|---|---|---|---|---|",
            *rows,
        ]
    )
