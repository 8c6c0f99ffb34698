"""How a client uses this project's token backend; the auth contract tests only talk to this."""

from django.conf import settings


class TokenBackend:
    obtain_url = "/api/auth/token/"
    scheme = "Token"
    # What the library answers to bad credentials.
    bad_credentials_status = 400
    token_field = "token"

    @property
    def lifetime(self):
        return settings.TOKEN_TTL

    def login(self, client, credentials):
        """Log in; return the response body."""
        response = client.post(self.obtain_url, credentials, format="json")
        assert response.status_code == 200, response.content
        return response.json()

    def token_of(self, body):
        return body[self.token_field]

    def authorize(self, client, token):
        client.credentials(HTTP_AUTHORIZATION=f"{self.scheme} {token}")

    def logout_data(self, body):
        """What logout needs besides the Authorization header."""
        return {}
