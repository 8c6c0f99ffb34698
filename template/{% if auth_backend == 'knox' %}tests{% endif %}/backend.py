"""This project's token backend, django-rest-knox, as the auth contract tests use it."""

from django.urls import reverse
from knox.models import get_token_model
from knox.settings import knox_settings

from .token_client import TokenClient


class TokenBackend(TokenClient):
    obtain_url = reverse("token")
    scheme = "Token"
    # What the library answers to bad credentials.
    bad_credentials_status = 400
    token_field = "token"
    admin_tokens_url = reverse("admin:knox_authtoken_changelist")
    # Columns whose values must never become an admin lookup or search.
    admin_secret_fields = ("digest", "token_key")

    @property
    def lifetime(self):
        return knox_settings.TOKEN_TTL

    def admin_token_url(self, user):
        token = get_token_model().objects.get(user=user)
        return reverse("admin:knox_authtoken_change", args=[token.pk])

    def issued_tokens(self, user):
        return get_token_model().objects.filter(user=user).count()
