"""The second step of the server-rendered logins, in headless Chromium (SEC-71): the
admin's, and an authorization server's login page on the way to its consent page.
The person's authenticator app is pyotp, set up through the project's API. And
passkeys (SEC-72) with Chromium's virtual authenticator: registered through the
API from a page of the project's origin, then used alone and as a second step."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyotp
import pytest

from harness.devserver import DevServer, dev_server
from harness.variants import VARIANTS
from tests.test_oauth2_clients import (
    Callback,
    authorization_url,
    chrome,
    hello,
    pkce_pair,
    post,
)
from tests.test_races import race

MFA = [variant for variant in VARIANTS if variant.answers.get("mfa")]
PASSWORD_LOGIN = next(variant for variant in MFA if not variant.backend.client_command)
OAUTH2 = next(variant for variant in MFA if variant.backend.client_command)


@pytest.fixture
def server(project, venv, tmp_path) -> Iterator[DevServer]:
    with dev_server(project, venv, tmp_path) as running:
        yield running


def api(server: DevServer, path: str, body: dict, token_header: str) -> dict:
    request = urllib.request.Request(
        f"{server.url}/api/auth/mfa/{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": token_header},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        return json.load(response)


class App(pyotp.TOTP):
    """The person's authenticator app, and the recovery codes they wrote down."""

    def __init__(self, secret: str) -> None:
        super().__init__(secret)
        self.recovery_codes: list[str] = []


def set_app_up(server: DevServer) -> App:
    """What the person does once: scan the secret, confirm with a code."""
    header = server.token_header()
    setup = api(server, "totp/", {"current_password": server.credentials["password"]}, header)
    app = App(setup["secret"])
    app.recovery_codes = api(server, "totp/confirm/", {"code": app.now()}, header)["recovery_codes"]
    assert len(app.recovery_codes) == 10
    return app


def wait_for(driver, condition) -> None:
    """Wait for a page; on a timeout, fail with the text of the page the browser shows."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.wait import WebDriverWait

    try:
        WebDriverWait(driver, 10).until(condition)
    except TimeoutException:
        body = driver.find_element("tag name", "body").text
        pytest.fail(f"{driver.current_url} shows:\n{body[:2000]}")


def submit(driver, **fields: str) -> None:
    """Type into the page's fields by name, send its form, and wait until the answer
    has replaced the page: the answer may be the same page again (a wrong code), so
    its URL and title prove nothing, and reading it too early reads the old one."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions

    for name, value in fields.items():
        field = driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    wait_for(driver, expected_conditions.staleness_of(page))


def next_code(app: pyotp.TOTP) -> str:
    """The code of the next time step (the current one confirmed the app; one step
    of clock skew is allowed)."""
    return app.at(int(time.time()) + 30)


def assert_the_code_gives_a_working_token(
    server: DevServer, callback: Callback, code: str, verifier: str
) -> None:
    """The client exchanges the code the browser brought back; the token calls hello."""
    exchange = {
        "grant_type": "authorization_code",
        "client_id": server.client_id,
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": callback.redirect_uri,
    }
    status, tokens = post(f"{server.url}/o/token/", exchange)
    assert status == 200, tokens
    assert hello(server, tokens["access_token"]) == 200


@pytest.mark.parametrize("variant", [PASSWORD_LOGIN], ids=str, indirect=True)
def test_the_admin_asks_for_the_code_after_the_password(server: DevServer):
    from selenium.webdriver.support import expected_conditions

    app = set_app_up(server)
    with chrome() as driver:
        driver.get(f"{server.url}/admin/")
        submit(driver, username=server.login, password=server.credentials["password"])
        wait_for(driver, expected_conditions.url_contains("/admin/mfa/"))
        assert "Second step" in driver.title

        submit(driver, code="000000")
        assert "The code is wrong" in driver.page_source
        submit(driver, code=next_code(app))
        wait_for(driver, expected_conditions.title_contains("Site administration"))
        assert driver.current_url == f"{server.url}/admin/"


@pytest.mark.parametrize("variant", [OAUTH2], ids=str, indirect=True)
def test_the_login_page_asks_for_the_code_before_the_consent_page(server: DevServer):
    from selenium.webdriver.support import expected_conditions

    app = set_app_up(server)
    verifier, challenge = pkce_pair()
    with Callback() as callback, chrome() as driver:
        driver.get(authorization_url(server, callback, challenge, state="mfa-state"))
        submit(driver, username=server.login, password=server.credentials["password"])
        wait_for(driver, expected_conditions.url_contains("/o/login/mfa/"))
        submit(driver, code=next_code(app))
        # The person approved this client when setting the app up: no consent page
        # again (DOT's `approval_prompt=auto`), straight back to the client.
        wait_for(driver, lambda d: callback.queries)

    (returned,) = callback.queries
    assert_the_code_gives_a_working_token(server, callback, returned["code"], verifier)


# Passkeys. WebAuthn refuses IP addresses: the browser opens http://localhost:<port>
# (the dev server lists it in DJANGO_WEBAUTHN_ORIGINS).

REGISTER = """
const [token, password, done] = arguments;
(async () => {
  const call = async (path, body) => {
    const response = await fetch("/api/auth/mfa/" + path, {
      method: "POST",
      headers: {"Content-Type": "application/json", "Authorization": token},
      body: JSON.stringify(body),
    });
    return [response.status, await response.json()];
  };
  const [, options] = await call("webauthn/registration-options/", {current_password: password});
  const created = await navigator.credentials.create({
    publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
  });
  const [status, body] = await call("webauthn/", {name: "Chromium", credential: created.toJSON()});
  done({status, body});
})().catch((error) => done({error: String(error)}));
"""

SIGN_IN = """
const [done] = arguments;
(async () => {
  const asked = await fetch("/api/auth/mfa/webauthn/login-options/", {method: "POST"});
  const signed = await navigator.credentials.get({
    publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(await asked.json()),
  });
  done({assertion: signed.toJSON()});
})().catch((error) => done({error: String(error)}));
"""


def origin(server: DevServer) -> str:
    return server.url.replace("127.0.0.1", "localhost")


def chrome_with_passkeys():
    """Chromium with a virtual authenticator: a platform one that keeps discoverable
    credentials and verifies its user, as a phone or a laptop does."""
    from selenium.webdriver.common.virtual_authenticator import (
        Protocol,
        Transport,
        VirtualAuthenticatorOptions,
    )

    driver = chrome()
    driver.set_script_timeout(20)
    driver.add_virtual_authenticator(
        VirtualAuthenticatorOptions(
            protocol=Protocol.CTAP2,
            transport=Transport.INTERNAL,
            has_resident_key=True,
            has_user_verification=True,
            is_user_verified=True,
        )
    )
    return driver


def register_in_browser(driver, server: DevServer) -> dict:
    """The person registers a passkey from a page of the project's origin."""
    driver.get(f"{origin(server)}/api/health/")
    password = server.credentials["password"]
    result = driver.execute_async_script(REGISTER, server.token_header(), password)
    assert result.get("status") == 201, result
    assert len(result["body"]["recovery_codes"]) == 10
    (credential,) = driver.get_credentials()
    assert credential.is_resident_credential
    return result["body"]


@pytest.mark.parametrize("variant", [PASSWORD_LOGIN], ids=str, indirect=True)
def test_a_passkey_made_in_chromium_logs_in_alone_once_and_passes_the_admins_second_step(
    server: DevServer,
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions

    with chrome_with_passkeys() as driver:
        register_in_browser(driver, server)

        # The browser signs in with the passkey alone; the app posts its answer six
        # times at once: one login (the challenge's delete is the gate).
        signed = driver.execute_async_script(SIGN_IN)
        assert "assertion" in signed, signed
        results = race(f"{server.url}/api/auth/mfa/webauthn/login/", signed, as_json=True)
        assert all(status < 500 for status, _ in results), results
        winners = [body for status, body in results if status == 200]
        assert len(winners) == 1, results
        assert {body["code"] for status, body in results if status != 200} == {
            "mfa_passkey_invalid"
        }
        token = winners[0][server.backend.token_field]
        request = urllib.request.Request(
            f"{server.url}/api/hello/",
            headers={"Authorization": f"{server.backend.scheme} {token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
            assert json.load(response) == {"message": f"Hello {server.login}"}

        driver.get(f"{origin(server)}/admin/")
        submit(driver, username=server.login, password=server.credentials["password"])
        wait_for(driver, expected_conditions.url_contains("/admin/mfa/"))
        driver.find_element(By.ID, "passkey-button").click()
        wait_for(driver, expected_conditions.title_contains("Site administration"))
        assert driver.current_url == f"{origin(server)}/admin/"
        # Three signatures, each counted: the server keeps the last count.
        (credential,) = driver.get_credentials()
        assert credential.sign_count == 3


@pytest.mark.parametrize("variant", [OAUTH2], ids=str, indirect=True)
def test_a_passkey_logs_in_on_the_login_page_before_the_consent_page(server: DevServer):
    from selenium.webdriver.common.by import By

    verifier, challenge = pkce_pair()
    with Callback() as callback, chrome_with_passkeys() as driver:
        register_in_browser(driver, server)
        url = authorization_url(server, callback, challenge, state="passkey-state")
        driver.get(url.replace(server.url, origin(server)))
        wait_for(driver, lambda d: d.find_elements(By.ID, "passkey-button"))
        driver.find_element(By.ID, "passkey-button").click()
        # Approved before (when the API's token was made): straight back to the client.
        wait_for(driver, lambda d: callback.queries)

    (returned,) = callback.queries
    assert returned["state"] == "passkey-state"
    assert_the_code_gives_a_working_token(server, callback, returned["code"], verifier)
