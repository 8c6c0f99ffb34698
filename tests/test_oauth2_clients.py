"""An authorization server's flows, run by real clients against `runserver`: a
person in headless Chromium (Selenium, Debian's chromium-driver) through the login
and consent pages, and authlib, a maintained OAuth client library from PyPI.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from authlib.integrations.requests_client import OAuth2Session

from harness.devserver import DevServer, dev_server
from harness.runner import missing, output, run
from harness.variants import VARIANTS

# An authorization server on two user models.
OAUTH2_VARIANTS = [variant for variant in VARIANTS if variant.backend.client_command][:2]


@pytest.fixture
def server(project, venv, tmp_path) -> Iterator[DevServer]:
    with dev_server(project, venv, tmp_path) as running:
        yield running


def post(url: str, form: dict) -> tuple[int, dict | None]:
    """(status, JSON body or None) of a form POST, 4xx included."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
            status, content = response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            status, content = error.code, error.read()
    return status, json.loads(content) if content else None


def hello(server: DevServer, access_token: str) -> int:
    request = urllib.request.Request(
        f"{server.url}/api/hello/", headers={"Authorization": f"Bearer {access_token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
            assert json.load(response) == {"message": f"Hello {server.login}"}
            return response.status
    except urllib.error.HTTPError as error:
        with error:
            return error.code


class Callback(HTTPServer):
    """The native app's loopback redirect URI (RFC 8252): keeps the query it gets."""

    def __init__(self) -> None:
        self.queries: list[dict[str, str]] = []
        super().__init__(("127.0.0.1", 0), CallbackHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def __exit__(self, *exc_info: object) -> None:
        """Stop serving, then close (HTTPServer's own exit only closes)."""
        self.shutdown()
        super().__exit__(*exc_info)

    @property
    def redirect_uri(self) -> str:
        # Any port on a loopback address matches the registered one (RFC 8252 §7.3).
        return f"http://127.0.0.1:{self.server_address[1]}/callback"


class CallbackHandler(BaseHTTPRequestHandler):
    server: Callback

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/callback":  # not the browser's /favicon.ico
            query = urllib.parse.parse_qs(url.query)
            self.server.queries.append({key: values[0] for key, values in query.items()})
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"You can close this window.")

    def log_message(self, format: str, *args: object) -> None:
        pass


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorization_url(server: DevServer, callback: Callback, challenge: str, state: str) -> str:
    """Where a native app sends the person: the authorization code flow with PKCE."""
    query = {
        "response_type": "code",
        "client_id": server.client_id,
        "redirect_uri": callback.redirect_uri,
        "scope": "read write",
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return f"{server.url}/o/authorize/?{urllib.parse.urlencode(query)}"


def chrome():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    driver_binary, browser_binary = shutil.which("chromedriver"), shutil.which("chromium")
    if driver_binary is None or browser_binary is None:
        missing("Debian's chromium and chromium-driver are not installed: run `bash .ci/services`")
    options = webdriver.ChromeOptions()
    options.binary_location = browser_binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(driver_binary), options=options)


@pytest.mark.parametrize("variant", OAUTH2_VARIANTS[:1], ids=str, indirect=True)
def test_a_person_in_a_browser_runs_the_authorization_code_flow(server: DevServer):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    verifier, challenge = pkce_pair()
    with Callback() as callback, chrome() as driver:
        driver.get(authorization_url(server, callback, challenge, state="browser-state"))
        # The login page, then the consent page.
        assert driver.current_url.startswith(f"{server.url}/o/login/")
        driver.find_element(By.NAME, "username").send_keys(server.login)
        driver.find_element(By.NAME, "password").send_keys(server.credentials["password"])
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(driver, 10).until(expected_conditions.title_contains("Authorize"))
        assert "Read your account" in driver.page_source
        driver.find_element(By.CSS_SELECTOR, "button[name=allow]").click()
        WebDriverWait(driver, 10).until(lambda d: callback.queries)
        # The callback has the query before the browser has drawn its answer.
        WebDriverWait(driver, 10).until(
            expected_conditions.text_to_be_present_in_element(
                (By.TAG_NAME, "body"), "You can close this window."
            )
        )

    (returned,) = callback.queries
    assert returned["state"] == "browser-state"
    token_url = f"{server.url}/o/token/"
    exchange = {
        "grant_type": "authorization_code",
        "client_id": server.client_id,
        "code": returned["code"],
        "code_verifier": verifier,
        "redirect_uri": callback.redirect_uri,
    }
    status, tokens = post(token_url, exchange)
    assert status == 200, tokens
    assert hello(server, tokens["access_token"]) == 200

    refresh = {"grant_type": "refresh_token", "client_id": server.client_id}
    status, renewed = post(token_url, refresh | {"refresh_token": tokens["refresh_token"]})
    assert status == 200, renewed
    assert hello(server, renewed["access_token"]) == 200

    revoke = {"token": renewed["access_token"], "client_id": server.client_id}
    assert post(f"{server.url}/o/revoke_token/", revoke)[0] == 200
    assert hello(server, renewed["access_token"]) == 401
    # A refresh token works once.
    status, error = post(token_url, refresh | {"refresh_token": tokens["refresh_token"]})
    assert (status, error["error"]) == (400, "invalid_grant")


@pytest.mark.parametrize("variant", OAUTH2_VARIANTS, ids=str, indirect=True)
def test_authlib_runs_the_pkce_exchange(server: DevServer):
    session = OAuth2Session(
        server.client_id,
        redirect_uri="http://127.0.0.1:8765/callback",
        scope="read write",
        code_challenge_method="S256",
        token_endpoint_auth_method="none",  # a public client
    )
    verifier = secrets.token_urlsafe(48)
    url, _ = session.create_authorization_url(f"{server.url}/o/authorize/", code_verifier=verifier)
    # A person logs in and approves (the project's own standard-library browser).
    path = url.removeprefix(server.url)
    password = server.credentials["password"]
    sent_to = server.oauth_login().authorize(server.url, server.login, password, path)

    token = session.fetch_token(
        f"{server.url}/o/token/", authorization_response=sent_to, code_verifier=verifier
    )

    assert token["token_type"] == "Bearer"
    response = session.get(f"{server.url}/api/hello/")
    assert response.status_code == 200, response.text
    assert response.json() == {"message": f"Hello {server.login}"}
    renewed = session.refresh_token(f"{server.url}/o/token/")
    assert renewed["refresh_token"] != token["refresh_token"]


@pytest.mark.parametrize("variant", OAUTH2_VARIANTS, ids=str, indirect=True)
def test_authlib_runs_client_credentials(server: DevServer, project: Path, venv: Path, tmp_path):
    created = run(
        project,
        venv,
        "python",
        "manage.py",
        "createclient",
        "Nightly report",
        "--grant",
        "client-credentials",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert created.returncode == 0, output(created)
    printed = dict(line.split(": ", 1) for line in created.stdout.splitlines())
    token_url = f"{server.url}/o/token/"

    session = OAuth2Session(printed["client_id"], printed["client_secret"], scope="read")
    token = session.fetch_token(token_url, grant_type="client_credentials")

    assert token["scope"] == "read"
    assert "refresh_token" not in token
    # The client's own token is no user's.
    assert session.get(f"{server.url}/api/hello/").status_code == 403
    wrong = OAuth2Session(printed["client_id"], "not-the-secret", scope="read")
    with pytest.raises(Exception, match="invalid_client"):
        wrong.fetch_token(token_url, grant_type="client_credentials")
