"""Rendering the template's working tree into a folder, as the bench measures it."""

from __future__ import annotations

from pathlib import Path

from copier import run_copy

from harness.runner import REPO_ROOT


def render_project(destination: Path, answers: dict[str, object]) -> Path:
    """The template at HEAD (uncommitted changes included) with `answers` over the defaults."""
    run_copy(
        str(REPO_ROOT),
        destination,
        data=dict(answers),
        defaults=True,
        unsafe=True,
        quiet=True,
        vcs_ref="HEAD",
    )
    return destination
