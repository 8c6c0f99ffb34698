"""This project's token backend, SimpleJWT, as the auth contract tests use it."""

from django.urls import reverse
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from .token_client import TokenClient


class TokenBackend(TokenClient):
    obtain_url = reverse("token")
    scheme = "Bearer"
    # What the library answers to bad credentials.
    bad_credentials_status = 401
    token_field = "access"
    admin_tokens_url = reverse("admin:token_blacklist_outstandingtoken_changelist")
    # Columns whose values must never become an admin lookup or search.
    admin_secret_fields = ("token",)

    @property
    def lifetime(self):
        return api_settings.ACCESS_TOKEN_LIFETIME

    def admin_token_url(self, user):
        token = OutstandingToken.objects.get(user=user)
        return reverse("admin:token_blacklist_outstandingtoken_change", args=[token.pk])

    @property
    def open_urls(self):
        return [self.obtain_url, reverse("token-refresh")]

    def logout_data(self, body):
        return {"refresh": body["refresh"]}

    def issued_tokens(self, user):
        return OutstandingToken.objects.filter(user=user).count()
