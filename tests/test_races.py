"""One use under concurrency (SECURITY 59, 63 and 71), against a real server:
requests released together at `runserver` (a thread per request, one SQLite file,
the project's own settings) spend a one-time thing once, and no lost race is a
`5xx` (`database is locked` included).

The generated suites prove each mechanism deterministically (the conditional
write or the unique insert that only one request wins); these prove that it
holds when the requests really do arrive at the same instant.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from harness.devserver import REDIRECT_URI, DevServer, dev_server
from harness.runner import output, run
from harness.variants import VARIANTS

OAUTH2 = next(variant for variant in VARIANTS if variant.backend.client_command)
JWT = next(variant for variant in VARIANTS if variant.answers.get("auth_backend") == "jwt")
# Sign-up on the two user models whose tables fold no case by themselves: Django's
# own (no unique email at all) and the username model (a lost race was a 500).
SIGN_UPS = [
    next(
        variant
        for variant in VARIANTS
        if variant.answers.get("registration")
        and variant.answers.get("user_model", "username") == user_model
    )
    for user_model in ("django", "username")
]
# A second factor's login on a password-login backend.
MFA = next(
    variant
    for variant in VARIANTS
    if variant.answers.get("mfa") and not variant.backend.client_command
)
# Requests released together; the bound keeps each race a second or two.
PARALLEL = 6
ROUNDS = 3


@pytest.fixture
def server(project, venv, tmp_path) -> Iterator[DevServer]:
    # Limits raised: a throttle would hide the race behind 429s.
    unthrottled = {
        f"DJANGO_THROTTLE_{name}": "1000000/minute"
        for name in (
            "LOGIN_CLIENT",
            "LOGIN_ACCOUNT",
            "DEVICE_CODE_CLIENT",
            "DEVICE_CODE_USER",
            "REGISTER",
            "MFA_CLIENT",
            "MFA_ACCOUNT",
        )
    }
    with dev_server(project, venv, tmp_path, **unthrottled) as running:
        yield running


def post(url: str, form: dict, as_json: bool = False) -> tuple[int, dict]:
    """(status, JSON body) of a POST (a form, or JSON), 4xx and 5xx included."""
    if as_json:
        data, headers = json.dumps(form).encode(), {"Content-Type": "application/json"}
    else:
        data, headers = urllib.parse.urlencode(form).encode(), {}
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # loopback only
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            content = error.read()
            try:
                return error.code, json.loads(content)
            except ValueError:
                return error.code, {"body": content.decode(errors="replace")[:500]}


def race(url: str, form: dict, *others: dict, as_json: bool = False) -> list[tuple[int, dict]]:
    """POSTs released together by a barrier: `form` PARALLEL times, or each form once."""
    forms = [form, *others] if others else [form] * PARALLEL
    barrier = threading.Barrier(len(forms))
    results: list[tuple[int, dict] | None] = [None] * len(forms)

    def run_one(index: int) -> None:
        barrier.wait(timeout=30)
        results[index] = post(url, forms[index], as_json)

    threads = [threading.Thread(target=run_one, args=(index,)) for index in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(result is not None for result in results), "a request never came back"
    return [result for result in results if result is not None]


def assert_won_once(results: list[tuple[int, dict]], lost: int = 400) -> dict:
    """Exactly one success; every other request lost with `lost` (OAuth's
    `invalid_grant` for an authorization server)."""
    statuses = sorted(status for status, _ in results)
    assert all(status < 500 for status in statuses), results
    winners = [body for status, body in results if status == 200]
    assert len(winners) == 1, results
    losers = [(status, body) for status, body in results if status != 200]
    assert all(status == lost for status, _ in losers), results
    if lost == 400:
        assert all(body.get("error") == "invalid_grant" for _, body in losers), results
    return winners[0]


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def person(server: DevServer, next_url: str) -> urllib.request.OpenerDirector:
    """A browser logged in on the authorization server's login page."""
    flow = server.oauth_login()
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), flow.KeepRedirects()
    )
    login_page = f"{server.url}/o/login/"
    _, _, page = flow.send(browser, f"{login_page}?{urllib.parse.urlencode({'next': next_url})}")
    form = flow.Form(page).fields | {
        "username": server.login,
        "password": server.credentials["password"],
    }
    status, _, page = flow.send(browser, login_page, form)
    assert status == 302, page[:500]
    return browser


@pytest.mark.parametrize("variant", [OAUTH2], ids=str, indirect=True)
def test_one_refresh_token_refreshed_at_once_rotates_once(server: DevServer):
    """Also SQLite's concurrent writers (SECURITY 69): a rotation reads, then writes,
    in one transaction; with deferred transactions some of these requests got
    `database is locked` 500s."""
    for _ in range(ROUNDS):
        refresh_token = server.log_in()["refresh_token"]
        form = {
            "grant_type": "refresh_token",
            "client_id": server.client_id,
            "refresh_token": refresh_token,
        }

        renewed = assert_won_once(race(f"{server.url}/o/token/", form))

        assert post(f"{server.url}/o/token/", form)[1]["error"] == "invalid_grant"
        assert renewed["refresh_token"] != refresh_token


@pytest.mark.parametrize("variant", [JWT], ids=str, indirect=True)
def test_one_jwt_refresh_token_refreshed_at_once_rotates_once(server: DevServer):
    """SimpleJWT blacklists with get_or_create and drops `created`: two refreshes
    that both read the token before either blacklisted it both succeeded."""
    for _ in range(ROUNDS):
        form = {"refresh": server.log_in()["refresh"]}

        results = race(f"{server.url}/api/auth/token/refresh/", form)

        assert_won_once(results, lost=401)


@pytest.mark.parametrize("variant", SIGN_UPS, ids=str, indirect=True)
def test_one_identifier_signed_up_at_once_makes_one_account(
    server: DevServer, project: Path, venv: Path, tmp_path: Path
):
    """One person's sign-up sent six times at once, in six spellings of one
    username and one address: Django's user table took two, and on the username
    model a lost race was a 500. Each sign-up may answer 201 (one still pending
    at the address is replaced) or 400; one account is left."""
    shell = ("python", "manage.py", "shell", "--no-imports", "-c")
    count = (
        "from django.contrib.auth import get_user_model; "
        "print(get_user_model().objects.filter(email__iexact='{email}').count())"
    )
    for round in range(ROUNDS):
        email = f"mallory{round}@example.com"
        forms = [
            {"username": spell(email), "email": spell(email), "password": "a-mallory-passphrase"}
            for spell in (str.lower, str.upper, str.title, str.capitalize, str.swapcase, str.lower)
        ]

        results = race(f"{server.url}/api/auth/register/", *forms)

        assert all(status in (201, 400) for status, _ in results), results
        counted = run(
            project, venv, *shell, count.format(email=email),
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        )  # fmt: skip
        assert counted.stdout.split()[-1] == "1", output(counted)


@pytest.mark.parametrize("variant", [OAUTH2], ids=str, indirect=True)
def test_one_code_exchanged_at_once_gives_tokens_once(server: DevServer):
    flow = server.oauth_login()
    for _ in range(ROUNDS):
        verifier, challenge = pkce()
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": server.client_id,
                "redirect_uri": REDIRECT_URI,
                "scope": "read write",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        location = flow.authorize(
            server.url, server.login, server.credentials["password"], f"/o/authorize/?{query}"
        )
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["code"][0]
        form = {
            "grant_type": "authorization_code",
            "client_id": server.client_id,
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": REDIRECT_URI,
        }

        results = race(f"{server.url}/o/token/", form)

        # The winner's tokens may already be revoked by a loser that came after it
        # (a replayed code revokes what it gave); a second pair never exists.
        assert_won_once(results)


@pytest.mark.parametrize("variant", [OAUTH2], ids=str, indirect=True)
def test_one_device_code_polled_at_once_gives_tokens_once(
    server: DevServer, project: Path, venv: Path, tmp_path: Path
):
    environment = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    created = run(
        project, venv, "python", "manage.py", "createclient", "My CLI",
        "--grant", "device-code", "--public", **environment,
    )  # fmt: skip
    assert created.returncode == 0, output(created)
    client_id = created.stdout.split("client_id: ", 1)[1].split()[0]
    flow = server.oauth_login()
    browser = person(server, "/o/device/")
    for _ in range(ROUNDS):
        status, device = post(f"{server.url}/o/device-authorization/", {"client_id": client_id})
        assert status == 200, device
        _, _, page = flow.send(browser, f"{server.url}/o/device/")
        form = flow.Form(page).fields | {"user_code": device["user_code"]}
        status, headers, page = flow.send(browser, f"{server.url}/o/device/", form)
        assert status == 302, page[:500]
        confirm = f"{server.url}{headers['Location']}"
        _, _, page = flow.send(browser, confirm)
        status, _, page = flow.send(browser, confirm, flow.Form(page).fields | {"action": "accept"})
        assert status == 302, page[:500]
        poll = {
            "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
            "client_id": client_id,
            "device_code": device["device_code"],
        }

        assert_won_once(race(f"{server.url}/o/token/", poll))

        assert post(f"{server.url}/o/token/", poll)[1]["error"] == "invalid_grant"


@pytest.mark.parametrize("variant", [MFA], ids=str, indirect=True)
def test_one_second_step_completed_at_once_logs_in_once(server: DevServer):
    """Six completions of one login's second step with one good code (the app's,
    then recovery codes): one token, and the others refused as a used challenge
    or a used code."""
    from tests.test_second_factors import next_code, set_app_up

    app = set_app_up(server)
    for code in [next_code(app), *app.recovery_codes[: ROUNDS - 1]]:
        status, challenge = post(f"{server.url}/api/auth/token/", server.credentials)
        assert status == 200, challenge
        assert challenge["mfa_required"] is True, challenge
        completion = {"mfa_token": challenge["mfa_token"], "code": code}

        results = race(f"{server.url}/api/auth/mfa/verify/", completion)

        assert all(status < 500 for status, _ in results), results
        winners = [body for status, body in results if status == 200]
        assert len(winners) == 1, results
        assert server.backend.token_field in winners[0]
        refused = {body.get("code") for status, body in results if status != 200}
        assert refused <= {"mfa_token_invalid", "mfa_code_invalid"}, results
