"""Copier migration: generated files moved to new paths; carry the user's edits along.

Usage (from copier.yml `_migrations`, run in the project directory):

    move_file.py before|after OLD NEW [OLD NEW ...]

OLD and NEW may name answers in braces, e.g. `{project_slug}/api/errors.py`:
before an update, copier has not loaded the answers yet, so they are read
from the answers file here.

On update, copier deletes a file that the new template version no longer
renders, edits included, and renders the new path afresh. This script keeps
the edits:

- before the update, if the project's OLD differs from what the previous
  template version rendered there, it saves both versions in the git directory;
- after the update, it merges the template's changes into the saved edits with
  a three-way merge (`git merge-file`), writes the result to NEW, and marks
  any conflict inline, as copier itself does.

It runs with copier's own interpreter, so it may import copier to render the
previous template version: the merge base.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ANSWERS_FILE = Path(".copier-answers.yml")


def stash_dir() -> Path:
    git_path = subprocess.run(
        ["git", "rev-parse", "--git-path", "copier-move"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return Path(git_path)


def recorded_answers() -> dict:
    return yaml.safe_load(ANSWERS_FILE.read_text(encoding="utf-8"))


def render_previous_version(destination: Path) -> None:
    """Render the template version recorded in the answers file, with its answers."""
    from copier import run_copy

    recorded = recorded_answers()
    run_copy(
        src_path=recorded["_src_path"],
        dst_path=destination,
        data={key: value for key, value in recorded.items() if not key.startswith("_")},
        vcs_ref=recorded["_commit"],
        defaults=True,
        overwrite=True,
        quiet=True,
        unsafe=True,
        skip_tasks=True,
    )


def before(moves: list[tuple[Path, Path]]) -> None:
    moves = [(old, new) for old, new in moves if old.is_file()]
    if not moves:
        return
    with tempfile.TemporaryDirectory() as previous:
        render_previous_version(Path(previous))  # once, for every move
        for old, new in moves:
            base = Path(previous, old)
            if base.is_file() and base.read_bytes() == old.read_bytes():
                continue  # not edited: the plain update is right
            stash = stash_dir() / new
            stash.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(old, stash.with_name(f"{stash.name}.ours"))
            if base.is_file():
                shutil.copyfile(base, stash.with_name(f"{stash.name}.base"))
            else:
                stash.with_name(f"{stash.name}.base").write_bytes(b"")


def after(moves: list[tuple[Path, Path]]) -> None:
    for old, new in moves:
        carry_over(old, new)


def carry_over(old: Path, new: Path) -> None:
    stash = stash_dir() / new
    ours = stash.with_name(f"{stash.name}.ours")
    base = stash.with_name(f"{stash.name}.base")
    if not ours.is_file():
        return
    if new.is_file():
        labels = ["-L", "your edits", "-L", "previous template", "-L", "new template"]
        merge = subprocess.run(
            ["git", "merge-file", *labels, str(ours), str(base), str(new)], check=False
        )
        if merge.returncode < 0 or merge.returncode > 127:
            raise SystemExit(f"move_file.py: git merge-file failed on {new}")
        if merge.returncode:
            print(f"move_file.py: {new} has conflicts to resolve", file=sys.stderr)
    new.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ours, new)
    print(f"move_file.py: carried your edits of {old} over to {new}", file=sys.stderr)
    ours.unlink()
    base.unlink(missing_ok=True)


def main(argv: list[str]) -> int:
    if len(argv) < 3 or len(argv) % 2 == 0 or argv[0] not in {"before", "after"}:
        print(__doc__, file=sys.stderr)
        return 2
    stage, paths = argv[0], [Path(path.format_map(recorded_answers())) for path in argv[1:]]
    moves = list(zip(paths[::2], paths[1::2], strict=True))
    (before if stage == "before" else after)(moves)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
