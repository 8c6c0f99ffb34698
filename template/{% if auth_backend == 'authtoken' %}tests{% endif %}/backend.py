"""This project's token backend, DRF's authtoken, as the auth contract tests use it."""

from django.conf import settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from .token_client import TokenClient


class TokenBackend(TokenClient):
    obtain_url = reverse("token")
    scheme = "Token"
    # What the library answers to bad credentials.
    bad_credentials_status = 400
    token_field = "token"
    admin_tokens_url = reverse("admin:tokens_usertoken_changelist")
    # Columns whose values must never become an admin lookup or search.
    admin_secret_fields = ("key",)

    @property
    def lifetime(self):
        return settings.TOKEN_TTL

    def admin_token_url(self, user):
        # DRF's token admin addresses tokens by user id, not by key.
        return reverse("admin:tokens_usertoken_change", args=[user.pk])

    def issued_tokens(self, user):
        return Token.objects.filter(user=user).count()
