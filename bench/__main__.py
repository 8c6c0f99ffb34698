"""Benchmarks of rendered projects; writes BENCHMARKS.md. Run: python -m bench

Needs the services of the template's tests (bash .ci/services && source .ci/services.env).
Figures are wall-clock measurements on this machine: compare rows of one run,
not runs on different machines. Tests never assert on them.
"""

from __future__ import annotations

import datetime
import platform
import sys
import tempfile
from pathlib import Path

from . import connections

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        print("bench: PostgreSQL connections under gunicorn", file=sys.stderr)
        sections = [connections.measure(Path(scratch))]
    header = [
        "# Benchmarks",
        "",
        f"Written by `python -m bench` on {datetime.date.today().isoformat()}: "
        f"{platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}.",
        "",
    ]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(header + sections) + "\n")
    print((ROOT / "BENCHMARKS.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
