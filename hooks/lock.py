"""Lock a new project's dependencies: `uv.lock`, and `requirements.txt` exported from it.

Usage: lock.py [--quiet | --]   (run by copier in the new project's directory, on copy only)

`uv lock` pins the whole dependency tree within pyproject.toml's bounds;
`uv export --frozen` writes the same pins, with hashes, for pip. Copier runs
this on copy only: during an update copier runs tasks three times and a lock is
the project's own from then on (the README says how to re-lock).
Standard library only: it runs with copier's own interpreter, and finds uv
where uv itself, PATH or copier's environment (the `uv` package) provides it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

EXPORT = ["export", "--frozen", "--no-emit-project", "--quiet", "--output-file", "requirements.txt"]


def find_uv() -> str | None:
    # uv sets UV for the processes it starts (`uvx copier ...`).
    candidates = [os.environ.get("UV"), shutil.which("uv")]
    try:
        from uv import find_uv_bin  # the uv package, when copier's environment has it
    except ImportError:
        pass
    else:
        candidates.append(find_uv_bin())
    return next((candidate for candidate in candidates if candidate), None)


def main(argv: list[str]) -> int:
    quiet = ["--quiet"] if argv[:1] == ["--quiet"] else []
    uv = find_uv()
    if uv is None:
        print(
            "lock.py: uv is needed to lock the project's dependencies and was not found "
            "(not on PATH, not in copier's environment). Install it (`pip install uv`, "
            "or see https://docs.astral.sh/uv/) and run copier again.",
            file=sys.stderr,
        )
        return 1
    for arguments in (["lock", *quiet], EXPORT):
        if subprocess.run([uv, *arguments], check=False).returncode:
            print(f"lock.py: `uv {' '.join(arguments)}` failed (above)", file=sys.stderr)
            return 1
    if not quiet:
        print("Wrote uv.lock, and requirements.txt with its pins for pip", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
