"""This project's token backend, DRF's authtoken, as the auth contract tests use it."""

from django.conf import settings

from .token_client import TokenClient


class TokenBackend(TokenClient):
    scheme = "Token"
    # What the library answers to bad credentials.
    bad_credentials_status = 400
    token_field = "token"
    admin_tokens_url = "/admin/tokens/usertoken/"
    # Columns whose values must never become an admin lookup or search.
    admin_secret_fields = ("key",)

    @property
    def lifetime(self):
        return settings.TOKEN_TTL

    def admin_token_url(self, user):
        # DRF's token admin addresses tokens by user id, not by key.
        return f"{self.admin_tokens_url}{user.pk}/change/"
