"""Recreate this template's release tags (`vX.Y.Z`) in a clone of its main branch.

Usage: python3 scripts/tag_releases.py

This repository is published as its main branch only, and tags do not travel
with a branch: a fresh clone has none, so Copier would render HEAD and record a
`0.0.0.postN` version, and `copier update` could never cross a `_migrations`
entry. Every release in CHANGELOG.md names its commit on main
(``Commit: `<40 hex digits>` ``); this script tags each one.

It only ever adds tags. A tag that already exists and agrees with CHANGELOG.md
is left alone; one that points elsewhere stops the script with an error and
nothing is changed, so a maintainer who does publish tags keeps them and learns
at once if CHANGELOG.md and the published tags ever disagree.
Standard library only: it runs with any Python 3.11+, before anything is installed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
RELEASE = re.compile(r"^## \[(\d+\.\d+\.\d+)\]", re.MULTILINE)
COMMIT = re.compile(r"^Commit: `([0-9a-f]{40})`$", re.MULTILINE)


class ReleaseError(Exception):
    pass


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(REPOSITORY), *args], capture_output=True, text=True, check=False
    )


def releases(changelog: str) -> list[tuple[str, str]]:
    """(tag, commit) for each release section, oldest first."""
    headings = list(RELEASE.finditer(changelog))
    found = []
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        section = changelog[heading.end() : following.start() if following else None]
        commit = COMMIT.search(section)
        if commit is None:
            raise ReleaseError(f"CHANGELOG.md: release {heading.group(1)} names no commit")
        found.append((f"v{heading.group(1)}", commit.group(1)))
    return found[::-1]


def plan(wanted: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The tags to create; raises if a commit is missing or a tag disagrees."""
    to_create = []
    for tag, commit in wanted:
        if git("cat-file", "-e", f"{commit}^{{commit}}").returncode:
            raise ReleaseError(
                f"{tag}: commit {commit} is not in this clone "
                "(a shallow clone? fetch the whole history: git fetch --unshallow)"
            )
        existing = git("rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}")
        if existing.returncode == 0:
            if existing.stdout.strip() != commit:
                raise ReleaseError(
                    f"{tag} already points at {existing.stdout.strip()[:12]}, but CHANGELOG.md "
                    f"names {commit[:12]}: fix whichever is wrong; no tag was changed"
                )
            continue
        to_create.append((tag, commit))
    return to_create


def main() -> int:
    try:
        wanted = releases((REPOSITORY / "CHANGELOG.md").read_text(encoding="utf-8"))
        to_create = plan(wanted)
    except ReleaseError as error:
        print(f"tag_releases.py: {error}", file=sys.stderr)
        return 1
    for tag, commit in to_create:
        created = git("tag", tag, commit)
        if created.returncode:
            print(f"tag_releases.py: git tag {tag}: {created.stderr.strip()}", file=sys.stderr)
            return 1
        print(f"Tagged {tag} at {commit[:12]}")
    if not to_create:
        print(f"All {len(wanted)} release tags were already there")
    return 0


if __name__ == "__main__":
    sys.exit(main())
