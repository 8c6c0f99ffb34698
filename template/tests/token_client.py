"""How the auth contract tests talk to a token backend; tests/backend.py fills in
what this project's backend does differently."""


class TokenClient:
    # Set by the backend: where a client logs in, `Authorization: <scheme> <token>`,
    # the status the library gives bad credentials, the field of the login body that
    # holds the token, and the admin's list of tokens; and, below its attributes, how
    # long a token lives (`lifetime`), the admin's page of a user's token
    # (`admin_token_url(user)`) and how many tokens a user was ever issued and
    # still holds (`issued_tokens(user)`).
    obtain_url: str
    scheme: str
    bad_credentials_status: int
    token_field: str
    admin_tokens_url: str
    admin_secret_fields: tuple[str, ...]
    # What a successful login attempt answers, and where its known-device cookie
    # is sent back.
    login_status = 200
    device_cookie_path = "/api/auth/"

    @property
    def open_urls(self):
        """The backend's endpoints that take a body from anyone, unauthenticated."""
        return [self.obtain_url]

    @property
    def api_open_urls(self):
        """Those of them that are API operations, in the schema."""
        return self.open_urls

    @property
    def api_login_urls(self):
        """The API operations that take a password and answer a token."""
        return [self.obtain_url]

    def attempt(self, client, credentials, **extra):
        """Try to log in; return the response."""
        return client.post(self.obtain_url, credentials, format="json", **extra)

    def check_security_schemes(self, schemes):
        """Assert that the schema's token scheme (by name; the session cookie's aside)
        describes this backend's header."""
        ((_, scheme),) = schemes.items()
        assert scheme["type"] in {"http", "apiKey"}
        assert scheme.get("in", "header") == "header"
        assert self.scheme.lower() in str(scheme).lower()

    def security_requirements(self, method, schemes):
        """What the schema lists among an operation's security alternatives."""
        return [{name: []} for name in schemes]

    def login(self, client, credentials):
        """Log in; return the response body."""
        response = self.attempt(client, credentials)
        assert response.status_code == 200, response.content
        return response.json()

    def token_of(self, body):
        return body[self.token_field]

    def secrets_of(self, body):
        """Every value of a login body that must never be shown again."""
        return [value for key, value in body.items() if key != "expiry"]

    def authorize(self, client, token):
        client.credentials(HTTP_AUTHORIZATION=f"{self.scheme} {token}")

    def logout_data(self, body):
        """What logout needs besides the Authorization header."""
        return {}
