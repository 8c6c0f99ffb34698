"""This project's token backend, django-oauth-toolkit, as the auth contract tests use it.

There is no password login on the API: `login` goes through the authorization
code flow with PKCE in process, as a browser and a public client would.
"""

import base64
import hashlib
import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.urls import reverse
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_refresh_token_model,
)
from oauth2_provider.settings import oauth2_settings
from rest_framework.permissions import SAFE_METHODS

from .token_client import TokenClient

Application = get_application_model()
REDIRECT_URI = "http://127.0.0.1:8765/callback"
LOGIN_PAGE = reverse("oauth2_provider:login")
AUTHORIZE_URL = reverse("oauth2_provider:authorize")
TOKEN_URL = reverse("oauth2_provider:token")


def pkce_pair():
    """A PKCE code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    return verifier, pkce_challenge(verifier)


def pkce_challenge(verifier):
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def public_client(name="Contract tests", redirect_uri=REDIRECT_URI):
    application, _ = Application.objects.get_or_create(
        name=name,
        defaults={
            "client_type": Application.CLIENT_PUBLIC,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": redirect_uri,
            "client_secret": "",
        },
    )
    return application


def token_request(client, **form):
    """A form post to the token endpoint, as OAuth clients send it."""
    return client.post(TOKEN_URL, urlencode(form), content_type="application/x-www-form-urlencoded")


class TokenBackend(TokenClient):
    scheme = "Bearer"
    obtain_url = LOGIN_PAGE
    # The login page sends the browser on (302), or shows its form again with an error.
    login_status = 302
    bad_credentials_status = 200
    token_field = "access_token"
    admin_tokens_url = reverse("admin:oauth2_provider_accesstoken_changelist")
    # Columns whose values must never become an admin lookup or search.
    admin_secret_fields = ("token", "token_checksum")
    device_cookie_path = LOGIN_PAGE

    @property
    def lifetime(self):
        return timedelta(seconds=oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS)

    def admin_token_url(self, user):
        token = get_access_token_model().objects.filter(user=user).first()
        return reverse("admin:oauth2_provider_accesstoken_change", args=[token.pk])

    @property
    def open_urls(self):
        return [TOKEN_URL]

    # The authorization server's endpoints are not API operations (no schema).
    @property
    def api_open_urls(self):
        return []

    @property
    def api_login_urls(self):
        return []

    def check_security_schemes(self, schemes):
        assert schemes["bearer"] == {"type": "http", "scheme": "bearer"}
        oauth2 = schemes["oauth2"]
        assert oauth2["type"] == "oauth2"
        flow = oauth2["flows"]["authorizationCode"]
        assert (flow["authorizationUrl"], flow["tokenUrl"]) == (AUTHORIZE_URL, TOKEN_URL)
        assert set(flow["scopes"]) == set(oauth2_settings.SCOPES)
        assert oauth2["flows"]["clientCredentials"]["tokenUrl"] == TOKEN_URL
        assert set(schemes) == {"oauth2", "bearer"}

    def security_requirements(self, method, schemes):
        scope = "read" if method.upper() in SAFE_METHODS else "write"
        return [{"oauth2": [scope]}, {"bearer": []}]

    def attempt(self, client, credentials, **extra):
        """Post the login page's form: Django's form names the field "username"
        for every user model."""
        form = {"username": next(iter(credentials.values())), "password": credentials["password"]}
        return client.post(LOGIN_PAGE, form, **extra)

    def code(self, client, credentials, application=None, scope="read write", **parameters):
        """Log in on the page and authorize: the redirect's code, and the verifier."""
        application = application or public_client()
        verifier, challenge = pkce_pair()
        response = self.attempt(client, credentials)
        assert response.status_code == 302, response.content
        query = {
            "client_id": application.client_id,
            "redirect_uri": application.redirect_uris.split()[0],
            "response_type": "code",
            "scope": scope,
            "state": "xyz",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            **parameters,
        }
        response = client.post(AUTHORIZE_URL, {**query, "allow": "Authorize"})
        assert response.status_code == 302, response.content
        redirect = parse_qs(urlsplit(response["Location"]).query)
        # The browser's session ends here; the API client carries tokens only.
        client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        return redirect["code"][0], verifier

    def login(self, client, credentials):
        application = public_client()
        code, verifier = self.code(client, credentials, application)
        response = token_request(
            client,
            grant_type="authorization_code",
            client_id=application.client_id,
            code=code,
            code_verifier=verifier,
            redirect_uri=REDIRECT_URI,
        )
        assert response.status_code == 200, response.content
        return response.json()

    def secrets_of(self, body):
        return [body["access_token"], body["refresh_token"]]

    def issued_tokens(self, user):
        access = get_access_token_model().objects.filter(user=user).count()
        return access + get_refresh_token_model().objects.filter(user=user).count()
