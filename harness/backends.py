"""The backend registry: every fact about an `auth_backend` choice that the tests and
the benchmarks need, in one table. Nothing else restates them.

A new backend is one folder in `template/` (see the README's maintainer guide), one
choice in `copier.yml`, and one entry here; `tests/test_registry.py` checks that
this table and `copier.yml` agree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Backend:
    # The `auth_backend` answer.
    name: str
    # The distribution it adds to the project's dependencies ("" when DRF ships it).
    package: str
    # The library's Django app, installed by the project.
    app: str
    # `Authorization: <scheme> <token>`.
    scheme: str
    # The field of the obtain-token response that holds the token to send.
    token_field: str
    # The library's own authentication class, which the benchmarks compare against.
    stock_authentication: str
    # The token model the authentication reads, and the column it looks keys up by;
    # None where the token carries the user instead (JWT).
    token_model: str | None
    token_lookup: str | None
    # The token's foreign keys authentication reads the rows of (JWT: none).
    token_joins: tuple[str, ...]
    # How many leading characters of the key the lookup column holds (None: all),
    # or the hash of the key it holds instead (hashlib's name; None: the key).
    lookup_length: int | None
    lookup_digest: str | None
    # Secrets the project's `.env` and production settings need besides DJANGO_SECRET_KEY.
    secrets: tuple[str, ...]
    # The backend's own tests in a rendered project, beside the shared contract suite.
    test_files: tuple[str, ...]
    # The first release that offers it (update tests start no older).
    since: str = "v0.1.0"
    # An authorization server (no password login on the API): the `manage.py`
    # command that registers the public client the template's tests log in through,
    # which prints `client_id: <id>`; empty for the other backends.
    client_command: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


BACKENDS = {
    backend.name: backend
    for backend in [
        Backend(
            name="authtoken",
            package="",
            app="rest_framework.authtoken",
            scheme="Token",
            token_field="token",
            stock_authentication="rest_framework.authentication.TokenAuthentication",
            token_model="rest_framework.authtoken.models.Token",
            token_joins=("user",),
            token_lookup="key",
            lookup_length=None,
            lookup_digest=None,
            secrets=(),
            test_files=("tests/test_authtoken.py", "tests/test_authtoken_admin.py"),
        ),
        Backend(
            name="knox",
            package="django-rest-knox",
            app="knox",
            scheme="Token",
            token_field="token",
            stock_authentication="knox.auth.TokenAuthentication",
            token_model="knox.models.AuthToken",
            token_joins=("user",),
            token_lookup="token_key",
            lookup_length=15,
            lookup_digest=None,
            secrets=(),
            test_files=("tests/test_knox.py",),
        ),
        Backend(
            name="jwt",
            package="djangorestframework-simplejwt",
            app="rest_framework_simplejwt.token_blacklist",
            scheme="Bearer",
            token_field="access",
            stock_authentication="rest_framework_simplejwt.authentication.JWTAuthentication",
            token_model=None,
            token_joins=(),
            token_lookup=None,
            lookup_length=None,
            lookup_digest=None,
            secrets=("JWT_SIGNING_KEY",),
            test_files=("tests/test_jwt.py",),
        ),
        Backend(
            name="oauth2",
            package="django-oauth-toolkit",
            app="oauth2_provider",
            scheme="Bearer",
            token_field="access_token",
            stock_authentication="oauth2_provider.contrib.rest_framework.OAuth2Authentication",
            token_model="oauth2_provider.models.AccessToken",
            token_joins=("application", "user"),
            token_lookup="token_checksum",
            lookup_length=None,
            lookup_digest="sha256",
            secrets=(),
            test_files=(
                "tests/test_oauth2.py",
                "tests/test_login_page.py",
                "tests/test_createclient.py",
                "tests/test_oauth_login.py",
                "tests/test_oauth2_admin.py",
            ),
            since="v0.5.0",
            client_command=(
                "createclient",
                "Template tests",
                "--public",
                "--redirect-uri",
                "http://127.0.0.1:8765/callback",
            ),
        ),
    ]
}
DEFAULT_BACKEND = BACKENDS["authtoken"]


def backend_of(answers: dict[str, object]) -> Backend:
    """The backend a variant's answers choose (copier's default when unset)."""
    return BACKENDS[str(answers.get("auth_backend", DEFAULT_BACKEND.name))]
