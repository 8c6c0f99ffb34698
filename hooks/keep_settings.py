"""Copier migration: a settings module the template no longer renders, kept if edited.

Usage (from copier.yml `_migrations`, run in the project directory):

    keep_settings.py before|after MODULE_PATH SETTINGS_PATH

v0.6.0 folded `<slug>/tokens/settings.py`, which `config/settings/base.py`
star-imported, into `base.py` itself. Copier deletes a file the new template
version no longer renders, edits included. If the team edited the module, it
stays where it was and the end of SETTINGS_PATH (the part the template's
updates leave alone) imports it again, so the team's values still win; the
message asks them to fold their edits into the settings and delete the module.
Unedited, it simply goes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from move_file import after, before, recorded_answers, stash_dir


def dotted(path: Path) -> str:
    return ".".join(path.with_suffix("").parts)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in {"before", "after"}:
        print(__doc__, file=sys.stderr)
        return 2
    stage, module, settings = argv[0], *(Path(p.format_map(recorded_answers())) for p in argv[1:])
    if stage == "before":
        before([(module, module)])
        return 0
    edited = (stash_dir() / f"{module}.ours").is_file()
    after([(module, module)])
    if edited and settings.is_file():
        line = f"from {dotted(module)} import *  # noqa: E402, F403"
        text = settings.read_text(encoding="utf-8")
        if line not in text:
            settings.write_text(
                f"{text.rstrip()}\n\n# Your edits of {module}, kept by the update to v0.6.0:"
                f" fold them into\n# the settings above and delete the module and this import.\n"
                f"{line}\n",
                encoding="utf-8",
            )
        print(
            f"keep_settings.py: kept your edited {module}; {settings} imports it at its end."
            " Fold your edits into the settings and delete both.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
