"""The container's health check (the Dockerfile's HEALTHCHECK runs this module with
`live`, compose with `ready`): exits 0 when this container's /api/health/<probe>/
answers 200.

The Host header is the first of DJANGO_ALLOWED_HOSTS, so the probe passes
Django's host check as a client's request does, whatever hosts the deployment serves.
"""

import os
import sys
import urllib.request


def probe_host() -> str:
    first = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    # ".example.com" allows example.com and its subdomains; "*" allows any.
    return first.lstrip(".").replace("*", "localhost") or "localhost"


def main(probe: str) -> int:
    port = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").rpartition(":")[2]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/health/{probe}/", headers={"Host": probe_host()}
    )
    try:
        with urllib.request.urlopen(request, timeout=3):  # noqa: S310 (a fixed http URL)
            return 0
    except OSError as error:
        print(f"{probe}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "live"))
