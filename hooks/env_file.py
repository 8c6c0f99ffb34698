"""Create or complete the generated project's git-ignored `.env`.

Usage: env_file.py [--quiet | --] KEY [KEY ...]   (run by copier in the project directory)

Each KEY missing from `.env` is appended with a fresh random secret. Keys that
are already there keep their value, so the task is idempotent: copier runs it
on copy and three times during an update (old copy, destination, new copy).
It says which keys it wrote, unless `--quiet`: copier renders an update's old
and new copies quietly, in throw-away folders, and copier.yml passes that on.
Standard library only: it runs with copier's own interpreter.
"""

from __future__ import annotations

import re
import secrets
import sys
from pathlib import Path

ENV_FILE = Path(".env")
HEADER = (
    "# Local secrets and settings; never commit this file.\n"
    "# See .env.example for every setting the project reads.\n"
)
KEY_PATTERN = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")


def defined_keys(text: str) -> set[str]:
    return {match.group(1) for line in text.splitlines() if (match := KEY_PATTERN.match(line))}


def new_secret() -> str:
    # 64 URL-safe characters (384 bits): long and varied enough for Django's
    # security.W009 check, and free of characters that .env parsers treat specially.
    return secrets.token_urlsafe(48)


def complete_env_file(path: Path, keys: list[str]) -> list[str]:
    """Append the missing keys to `path`; return the keys that were added."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    missing = [key for key in dict.fromkeys(keys) if key not in defined_keys(text)]
    if not missing and path.exists():
        return []
    if text and not text.endswith("\n"):
        text += "\n"
    text += "".join(f"{key}={new_secret()}\n" for key in missing)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return missing


def main(argv: list[str]) -> int:
    quiet = argv[:1] == ["--quiet"]
    if argv[:1] in (["--quiet"], ["--"]):
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    invalid = [key for key in argv if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key)]
    if invalid:
        print(f"env_file.py: not a variable name: {', '.join(invalid)}", file=sys.stderr)
        return 2
    added = complete_env_file(ENV_FILE, argv)
    if added and not quiet:
        print(f"Wrote {', '.join(added)} to .env", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
