"""The generated README's flow against a running `manage.py runserver`, as a user would do it."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request

import pytest

from harness.devserver import REDIRECT_URI, DevServer, dev_server
from harness.runner import REPO_ROOT, missing
from harness.variants import DEFAULT, VARIANTS

# Files the tests leave for people to look at (the Swagger UI screenshot).
ARTIFACTS = REPO_ROOT / ".cache" / "artifacts"


def request(url, data=None, headers=None):
    """Return (status, headers, JSON body) without raising on 4xx/5xx."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.headers, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.load(error)


@pytest.fixture
def server(project, venv, services, tmp_path):
    with dev_server(project, venv, tmp_path, **services) as running:
        yield running


def check_token_use(server: DevServer, token: str) -> None:
    """The rest of the README's flow: hello with the token, 401 without, health."""
    authorization = {"Authorization": f"{server.backend.scheme} {token}"}
    status, _, body = request(f"{server.url}/api/hello/", headers=authorization)
    assert (status, body) == (200, {"message": f"Hello {server.login}"})

    status, headers, body = request(f"{server.url}/api/hello/")
    assert status == 401
    assert headers["WWW-Authenticate"].split()[0] == server.backend.scheme
    assert "detail" in body

    status, _, body = request(f"{server.url}/api/health/")
    assert (status, body["status"]) == (200, "ok")


@pytest.mark.parametrize(
    "variant", [v for v in VARIANTS if not v.backend.client_command], ids=str, indirect=True
)
def test_readme_curl_flow(server: DevServer):
    status, headers, body = request(f"{server.url}/api/auth/token/", data=server.credentials)
    assert status == 200, body
    assert "no-store" in headers["Cache-Control"]

    check_token_use(server, body[server.backend.token_field])


@pytest.mark.parametrize(
    "variant", [v for v in VARIANTS if v.backend.client_command], ids=str, indirect=True
)
def test_readme_authorization_code_flow(server: DevServer):
    """The README's PKCE lines, the person's part in the browser done by the project's
    own client (tests/oauth_login.py), with the client dev_server registered as the
    README does."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    query = {
        "response_type": "code",
        "client_id": server.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "read write",
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    path = f"/o/authorize/?{urllib.parse.urlencode(query)}"
    password = server.credentials["password"]
    sent_to = server.oauth_login().authorize(server.url, server.login, password, path)
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(sent_to).query)["code"][0]

    exchange = {
        "grant_type": "authorization_code",
        "client_id": server.client_id,
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": REDIRECT_URI,
    }
    status, headers, body = request(f"{server.url}/o/token/", data=exchange)
    assert status == 200, body
    assert "no-store" in headers["Cache-Control"]

    check_token_use(server, body["access_token"])


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Let Swagger UI's JavaScript fetch the schema and draw before the page is read.
    "--virtual-time-budget=8000",
]


def chromium(tmp_path, *args):
    binary = shutil.which("chromium")
    if binary is None:
        missing("Debian's chromium is not installed: run `bash .ci/services` first")
    profile = tempfile.mkdtemp(dir=tmp_path)
    return subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("variant", [DEFAULT], ids=str, indirect=True)
def test_swagger_ui_shows_the_operations_and_authorize_in_a_browser(server, tmp_path):
    docs = f"{server.url}/api/docs/"

    page = chromium(tmp_path, "--dump-dom", docs)
    screenshot = ARTIFACTS / "swagger-ui.png"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chromium(tmp_path, "--window-size=1280,1600", f"--screenshot={screenshot}", docs)

    assert page.returncode == 0, page.stderr
    paths = set(re.findall(r'class="opblock-summary-path" data-path="([^"]+)"', page.stdout))
    assert {"/api/hello/", "/api/auth/token/", "/api/auth/me/"} <= paths
    assert re.search(r'class="btn authorize[^"]*"><span>Authorize', page.stdout)
    assert screenshot.stat().st_size > 10_000
