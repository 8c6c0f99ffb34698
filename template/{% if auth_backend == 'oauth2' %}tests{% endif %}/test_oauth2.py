"""The OAuth2 server's own rules (OAuth 2.1, RFC 6749/6750/7009/7636/7662/8628),
beside the shared contract suite, and each bad input's RFC error."""

import base64
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from oauth2_provider.models import get_access_token_model, get_application_model, get_grant_model
from oauth2_provider.settings import oauth2_settings

from .backend import AUTHORIZE_URL, REDIRECT_URI, pkce_pair, public_client, token_request
from .conftest import HELLO_URL, LOGOUT_ALL_URL, LOGOUT_URL

Application = get_application_model()
REVOKE_URL = "/o/revoke_token/"
INTROSPECT_URL = "/o/introspect/"
CLIENT_SECRET = "a-client-secret-of-sixty-four-characters-for-the-nightly-report"


@pytest.fixture
def browser(db):
    """A person's browser (its own cookies, never the API client's)."""
    return Client()


@pytest.fixture
def app(db):
    return public_client()


@pytest.fixture
def machine(db):
    """A confidential client of its own (client credentials)."""
    return Application.objects.create(
        name="Nightly report",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=CLIENT_SECRET,
    )


def basic(application, secret=CLIENT_SECRET):
    value = base64.b64encode(f"{application.client_id}:{secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {value}"}


def redirect_query(response):
    assert response.status_code == 302, response.content
    return {
        key: values[0] for key, values in parse_qs(urlsplit(response["Location"]).query).items()
    }


def exchange(client, app, code, verifier, **overrides):
    form = {
        "grant_type": "authorization_code",
        "client_id": app.client_id,
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": REDIRECT_URI,
        **overrides,
    }
    return token_request(client, **form)


def refresh(client, app, refresh_token):
    return token_request(
        client, grant_type="refresh_token", client_id=app.client_id, refresh_token=refresh_token
    )


def assert_oauth_error(response, error, status=400):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == error


def authorization_query(app, **parameters):
    """The query a client sends the authorization endpoint, with a PKCE challenge."""
    _, challenge = pkce_pair()
    return {
        "client_id": app.client_id,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **parameters,
    }


def authorize(browser, app, **parameters):
    """Post the consent form, as the Authorize button does."""
    verifier, challenge = pkce_pair()
    form = {
        "client_id": app.client_id,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "scope": "read write",
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "allow": "Authorize",
        **parameters,
    }
    return browser.post(AUTHORIZE_URL, form), verifier


@pytest.fixture
def logged_in(browser, backend, credentials):
    assert backend.attempt(browser, credentials).status_code == 302
    return browser


# The authorization code flow -------------------------------------------------


def test_the_authorization_endpoint_sends_a_stranger_to_the_login_page(browser, app):
    query = authorization_query(app)

    response = browser.get(AUTHORIZE_URL, query)

    assert response.status_code == 302
    assert response["Location"].startswith("/o/login/?next=/o/authorize/")


def test_the_consent_page_names_the_client_and_the_scopes(logged_in, app):
    query = authorization_query(app, scope="read write")

    page = logged_in.get(AUTHORIZE_URL, query).content.decode()

    assert app.name in page
    assert escape(oauth2_settings.SCOPES["read"]) in page
    assert escape(oauth2_settings.SCOPES["write"]) in page
    assert "csrfmiddlewaretoken" in page


def test_the_code_comes_back_with_the_state_and_the_issuer(logged_in, app):
    response, _ = authorize(logged_in, app)

    query = redirect_query(response)
    assert response["Location"].startswith(f"{REDIRECT_URI}?")
    assert query["state"] == "xyz"
    assert query["code"]
    assert query["iss"]


def test_the_token_response_is_never_cached(api_client, logged_in, app):
    response, verifier = authorize(logged_in, app)

    tokens = exchange(api_client, app, redirect_query(response)["code"], verifier)

    assert tokens.status_code == 200
    assert "no-store" in tokens["Cache-Control"]
    body = tokens.json()
    assert body["token_type"] == "Bearer"
    assert set(body["scope"].split()) == {"read", "write"}


def test_each_flow_issues_new_tokens(api_client, backend, credentials):
    first, second = backend.login(api_client, credentials), backend.login(api_client, credentials)

    assert first["access_token"] != second["access_token"]
    assert first["refresh_token"] != second["refresh_token"]


def test_cancelling_on_the_consent_page_sends_back_access_denied(logged_in, app):
    response, _ = authorize(logged_in, app, allow="")

    assert redirect_query(response)["error"] == "access_denied"


# PKCE and codes (SECURITY.md 56) ---------------------------------------------


def test_pkce_is_required(logged_in, app):
    response, _ = authorize(logged_in, app, code_challenge="", code_challenge_method="")

    query = redirect_query(response)
    assert query["error"] == "invalid_request"
    assert "code" not in query


def test_a_plain_challenge_is_refused(logged_in, app):
    verifier, _ = pkce_pair()

    response, _ = authorize(logged_in, app, code_challenge=verifier, code_challenge_method="plain")

    assert redirect_query(response)["error"] == "invalid_request"
    assert not get_grant_model().objects.exists()


def test_a_wrong_verifier_is_refused(api_client, logged_in, app):
    response, _ = authorize(logged_in, app)
    other_verifier, _ = pkce_pair()

    tokens = exchange(api_client, app, redirect_query(response)["code"], other_verifier)

    assert_oauth_error(tokens, "invalid_grant")


def test_a_missing_verifier_is_refused(api_client, logged_in, app):
    response, _ = authorize(logged_in, app)

    tokens = exchange(api_client, app, redirect_query(response)["code"], "")

    assert tokens.status_code == 400
    assert tokens.json()["error"] in {"invalid_request", "invalid_grant"}


def test_a_code_works_once(api_client, logged_in, app):
    response, verifier = authorize(logged_in, app)
    code = redirect_query(response)["code"]
    assert exchange(api_client, app, code, verifier).status_code == 200

    assert_oauth_error(exchange(api_client, app, code, verifier), "invalid_grant")


def test_an_expired_code_is_refused(api_client, logged_in, app):
    response, verifier = authorize(logged_in, app)
    code = redirect_query(response)["code"]
    later = timezone.now() + timedelta(
        seconds=oauth2_settings.AUTHORIZATION_CODE_EXPIRE_SECONDS + 1
    )

    with time_machine.travel(later, tick=False):
        tokens = exchange(api_client, app, code, verifier)

    assert_oauth_error(tokens, "invalid_grant")


def test_a_code_is_bound_to_its_client(api_client, logged_in, app):
    other = public_client(name="Another app")
    response, verifier = authorize(logged_in, app)

    tokens = exchange(api_client, other, redirect_query(response)["code"], verifier)

    assert_oauth_error(tokens, "invalid_grant")


@pytest.mark.parametrize(
    "redirect_uri",
    [
        REDIRECT_URI + "/",
        REDIRECT_URI[:-1],
        REDIRECT_URI.replace("callback", "callbacK"),
        REDIRECT_URI + "?next=https://evil.example",
        "https://evil.example/callback",
    ],
    ids=["trailing-slash", "one-less", "one-changed", "added-query", "another-host"],
)
def test_a_redirect_uri_must_match_exactly(logged_in, app, redirect_uri):
    """RFC 6749 §4.1.2.1: never redirect to an unregistered URI; tell the person."""
    query = authorization_query(app, redirect_uri=redirect_uri)

    response = logged_in.get(AUTHORIZE_URL, query)

    assert response.status_code == 400
    assert "redirect" in response.content.decode().lower()


def test_the_exchange_needs_the_redirect_uri_of_the_request(api_client, logged_in, app):
    app.redirect_uris = f"{REDIRECT_URI} http://127.0.0.1:8765/other"
    app.save()
    response, verifier = authorize(logged_in, app)

    tokens = exchange(
        api_client,
        app,
        redirect_query(response)["code"],
        verifier,
        redirect_uri="http://127.0.0.1:8765/other",
    )

    assert tokens.status_code == 400
    assert tokens.json()["error"] in {"invalid_request", "invalid_grant"}


def test_an_http_redirect_uri_is_only_for_loopback(logged_in, db):
    app = public_client(name="Plain http", redirect_uri="http://app.example.com/callback")
    query = authorization_query(app, redirect_uri="http://app.example.com/callback")

    assert logged_in.get(AUTHORIZE_URL, query).status_code == 400


@pytest.mark.parametrize("response_type", ["token", "id_token", "code token"])
def test_the_implicit_grant_is_refused(logged_in, app, response_type):
    query = authorization_query(app, response_type=response_type)

    response = logged_in.get(AUTHORIZE_URL, query)

    assert response.status_code in (302, 400)
    if response.status_code == 302:
        # RFC 6749 §4.1.2.1 allows either for a response type this client may not use.
        error = redirect_query(response)["error"]
        assert error in {"unsupported_response_type", "unauthorized_client"}
    assert "access_token" not in response.get("Location", "")


def test_the_password_grant_is_refused(api_client, app, credentials):
    response = token_request(
        api_client,
        grant_type="password",
        client_id=app.client_id,
        username=next(iter(credentials.values())),
        password=credentials["password"],
    )

    assert response.status_code in (400, 401)
    assert response.json()["error"] in {"unsupported_grant_type", "unauthorized_client"}
    assert "access_token" not in response.json()


# Refresh tokens (SECURITY.md 57) ---------------------------------------------


def test_a_refresh_token_works_once(api_client, backend, credentials, app):
    body = backend.login(api_client, credentials)

    renewed = refresh(api_client, app, body["refresh_token"])

    assert renewed.status_code == 200
    assert renewed.json()["refresh_token"] != body["refresh_token"]
    assert_oauth_error(refresh(api_client, app, body["refresh_token"]), "invalid_grant")


def test_a_reused_refresh_token_revokes_its_family(api_client, backend, credentials, app):
    """Someone replays a refresh token already used: the tokens that came from it
    stop working too (REFRESH_TOKEN_REUSE_PROTECTION)."""
    body = backend.login(api_client, credentials)
    renewed = refresh(api_client, app, body["refresh_token"]).json()

    refresh(api_client, app, body["refresh_token"])

    backend.authorize(api_client, renewed["access_token"])
    assert api_client.get(HELLO_URL).status_code == 401
    api_client.credentials()
    assert_oauth_error(refresh(api_client, app, renewed["refresh_token"]), "invalid_grant")


def test_an_expired_refresh_token_is_refused(api_client, backend, credentials, app):
    """It dies REFRESH_TOKEN_EXPIRE_SECONDS after the access token issued with it."""
    body = backend.login(api_client, credentials)
    lifetime = (
        oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS + oauth2_settings.REFRESH_TOKEN_EXPIRE_SECONDS
    )
    later = timezone.now() + timedelta(seconds=lifetime + 1)

    with time_machine.travel(later, tick=False):
        response = refresh(api_client, app, body["refresh_token"])

    assert_oauth_error(response, "invalid_grant")


def test_a_refresh_token_is_bound_to_its_client(api_client, backend, credentials):
    body = backend.login(api_client, credentials)
    other = public_client(name="Another app")

    assert_oauth_error(refresh(api_client, other, body["refresh_token"]), "invalid_grant")


# Using tokens (SECURITY.md 58) -----------------------------------------------


@pytest.mark.parametrize("token", ["not-a-token", "0" * 30])
def test_a_bad_token_is_401_invalid_token(api_client, db, token):
    response = api_client.get(HELLO_URL, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 401
    challenge = response["WWW-Authenticate"]
    assert challenge.startswith("Bearer ")
    assert 'error="invalid_token"' in challenge
    assert "detail" in response.json()


def test_a_token_in_a_form_body_is_ignored(api_client, backend, credentials):
    """RFC 6750 §2.2 allows it; RFC 9700 §4.3.2 advises against it: header only."""
    token = backend.token_of(backend.login(api_client, credentials))

    response = api_client.post(LOGOUT_ALL_URL, {"access_token": token})

    assert response.status_code == 401
    backend.authorize(api_client, token)
    assert api_client.get(HELLO_URL).status_code == 200


def test_no_token_is_401_without_an_error_code(api_client, db):
    """RFC 6750 §3.1: a request without credentials gets no error code."""
    response = api_client.get(HELLO_URL)

    assert response.status_code == 401
    assert "error=" not in response["WWW-Authenticate"]


def test_a_missing_scope_is_403_insufficient_scope(api_client, backend, credentials, app, browser):
    code, verifier = backend.code(browser, credentials, app, scope="read")
    token = exchange(api_client, app, code, verifier).json()["access_token"]
    backend.authorize(api_client, token)

    assert api_client.get(HELLO_URL).status_code == 200
    response = api_client.post(LOGOUT_ALL_URL)

    assert response.status_code == 403
    assert response.json()["detail"]
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    assert 'scope="write"' in response["WWW-Authenticate"]


def test_hello_needs_the_read_scope(api_client, backend, credentials, app, browser):
    code, verifier = backend.code(browser, credentials, app, scope="write")
    token = exchange(api_client, app, code, verifier).json()["access_token"]
    backend.authorize(api_client, token)

    response = api_client.get(HELLO_URL)

    assert response.status_code == 403
    assert 'scope="read"' in response["WWW-Authenticate"]


@pytest.mark.parametrize("scope", ["read admin", "introspection"])
def test_an_unknown_scope_is_refused(logged_in, app, scope):
    """No scope beyond read and write: none lets a user's token introspect others."""
    response, _ = authorize(logged_in, app, scope=scope)

    assert redirect_query(response)["error"] == "invalid_scope"


# Revocation (RFC 7009) and logout --------------------------------------------


def test_revocation_revokes_the_access_token(api_client, backend, credentials, app):
    body = backend.login(api_client, credentials)

    response = api_client.post(
        REVOKE_URL, {"token": body["access_token"], "client_id": app.client_id}
    )

    assert response.status_code == 200
    backend.authorize(api_client, body["access_token"])
    assert api_client.get(HELLO_URL).status_code == 401


def test_a_client_cannot_revoke_another_clients_token(api_client, backend, credentials):
    body = backend.login(api_client, credentials)
    other = public_client(name="Another app")

    response = api_client.post(
        REVOKE_URL, {"token": body["access_token"], "client_id": other.client_id}
    )

    assert response.status_code == 200  # RFC 7009 §2.2: says nothing either way
    backend.authorize(api_client, body["access_token"])
    assert api_client.get(HELLO_URL).status_code == 200


def test_logout_revokes_the_refresh_token_too(api_client, backend, credentials, app):
    body = backend.login(api_client, credentials)
    backend.authorize(api_client, body["access_token"])

    assert api_client.post(LOGOUT_URL).status_code == 204

    api_client.credentials()
    assert_oauth_error(refresh(api_client, app, body["refresh_token"]), "invalid_grant")


def test_logout_all_revokes_refresh_tokens(api_client, backend, credentials, app):
    first, second = backend.login(api_client, credentials), backend.login(api_client, credentials)
    backend.authorize(api_client, first["access_token"])

    assert api_client.post(LOGOUT_ALL_URL).status_code == 204

    api_client.credentials()
    for body in (first, second):
        assert_oauth_error(refresh(api_client, app, body["refresh_token"]), "invalid_grant")


def test_a_password_change_kills_codes_not_yet_exchanged(
    api_client, logged_in, app, authenticated_client, password
):
    response, verifier = authorize(logged_in, app)
    change = {"current_password": password, "new_password": "a-brand-new-passphrase"}

    assert (
        authenticated_client.post("/api/auth/password/", change, format="json").status_code == 204
    )

    assert_oauth_error(
        exchange(api_client, app, redirect_query(response)["code"], verifier), "invalid_grant"
    )


# Client credentials ----------------------------------------------------------


def test_a_machine_gets_a_token_of_its_own(api_client, machine):
    response = token_request(api_client, grant_type="client_credentials", scope="read")
    assert response.status_code == 401  # no client authentication

    response = api_client.post(
        "/o/token/", {"grant_type": "client_credentials", "scope": "read"}, **basic(machine)
    )

    assert response.status_code == 200
    assert "refresh_token" not in response.json()
    token = get_access_token_model().objects.get()
    assert token.user is None
    assert token.application == machine


def test_a_machine_token_is_not_a_user(api_client, machine):
    form = {"grant_type": "client_credentials", "scope": "read"}
    token = api_client.post("/o/token/", form, **basic(machine)).json()["access_token"]

    response = api_client.get(HELLO_URL, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 403


def test_a_wrong_client_secret_is_401_invalid_client(api_client, machine):
    form = {"grant_type": "client_credentials", "scope": "read"}

    response = api_client.post("/o/token/", form, **basic(machine, secret="not-the-secret"))

    assert_oauth_error(response, "invalid_client", status=401)


def test_client_secrets_are_stored_hashed(machine):
    machine.refresh_from_db()

    assert CLIENT_SECRET not in machine.client_secret
    assert check_password(CLIENT_SECRET, machine.client_secret)


def test_tokens_are_stored_as_checksums_only(api_client, backend, credentials):
    body = backend.login(api_client, credentials)

    stored = get_access_token_model().objects.get()

    assert body["access_token"] not in stored.token
    assert stored.token_checksum


# Introspection (RFC 7662) ----------------------------------------------------


def test_introspection_needs_an_authenticated_client(api_client, backend, credentials, machine):
    body = backend.login(api_client, credentials)

    anonymous = api_client.post(INTROSPECT_URL, {"token": body["access_token"]})
    wrong = api_client.post(
        INTROSPECT_URL, {"token": body["access_token"]}, **basic(machine, secret="wrong")
    )
    allowed = api_client.post(INTROSPECT_URL, {"token": body["access_token"]}, **basic(machine))

    for refused in (anonymous, wrong):
        assert_oauth_error(refused, "invalid_client", status=401)
        assert refused["WWW-Authenticate"].startswith("Basic ")
    assert allowed.status_code == 200
    assert allowed.json()["active"] is True
    assert allowed.json()["scope"] == "read write"


def test_a_public_client_cannot_introspect(api_client, backend, credentials, app):
    """It has no secret: an empty one must not pass for it."""
    body = backend.login(api_client, credentials)
    as_public = {"token": body["access_token"], "client_id": app.client_id}

    in_body = api_client.post(INTROSPECT_URL, {**as_public, "client_secret": ""})
    in_header = api_client.post(INTROSPECT_URL, as_public, **basic(app, secret=""))

    assert_oauth_error(in_body, "invalid_client", status=401)
    assert_oauth_error(in_header, "invalid_client", status=401)


def test_introspecting_a_revoked_token_says_inactive(api_client, backend, credentials, machine):
    body = backend.login(api_client, credentials)
    backend.authorize(api_client, body["access_token"])
    api_client.post(LOGOUT_URL)
    api_client.credentials()

    response = api_client.post(INTROSPECT_URL, {"token": body["access_token"]}, **basic(machine))

    assert response.json() == {"active": False}


# The device flow (RFC 8628) --------------------------------------------------


@pytest.fixture
def device_app(db):
    return Application.objects.create(
        name="My CLI",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_DEVICE_CODE,
        client_secret="",
    )


def start_device(client, device_app):
    return client.post(
        "/o/device-authorization/",
        urlencode({"client_id": device_app.client_id}),
        content_type="application/x-www-form-urlencoded",
    )


def poll(client, device_app, device_code):
    return token_request(
        client,
        grant_type="urn:ietf:params:oauth:grant-type:device_code",
        client_id=device_app.client_id,
        device_code=device_code,
    )


def test_the_device_flow_end_to_end(api_client, logged_in, device_app):
    started = start_device(api_client, device_app)
    assert started.status_code == 200, started.content
    device = started.json()
    assert device["verification_uri"].endswith("/o/device/")
    assert_oauth_error(poll(api_client, device_app, device["device_code"]), "authorization_pending")

    entered = logged_in.post("/o/device/", {"user_code": device["user_code"]})
    assert entered.status_code == 302
    confirmed = logged_in.post(entered["Location"], {"action": "accept"})
    assert confirmed.status_code == 302

    tokens = poll(api_client, device_app, device["device_code"])
    assert tokens.status_code == 200, tokens.content
    backend_token = tokens.json()["access_token"]
    response = api_client.get(HELLO_URL, HTTP_AUTHORIZATION=f"Bearer {backend_token}")
    assert response.status_code == 200


def test_a_denied_device_gets_access_denied(api_client, logged_in, device_app):
    device = start_device(api_client, device_app).json()
    entered = logged_in.post("/o/device/", {"user_code": device["user_code"]})
    logged_in.post(entered["Location"], {"action": "deny"})

    assert_oauth_error(poll(api_client, device_app, device["device_code"]), "access_denied")


def test_a_wrong_user_code_is_refused_on_the_page(logged_in, device_app):
    response = logged_in.post("/o/device/", {"user_code": "NOT-A-CODE"})

    assert response.status_code == 200
    assert "Incorrect user code" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/o/token/", REVOKE_URL, INTROSPECT_URL, "/o/device-authorization/"]
)
def test_a_wrong_method_is_a_json_405(api_client, machine, url):
    response = api_client.put(url, **basic(machine))

    assert response.status_code == 405
    assert response.json()["error"] == "invalid_request"
    assert "POST" in response["Allow"]
