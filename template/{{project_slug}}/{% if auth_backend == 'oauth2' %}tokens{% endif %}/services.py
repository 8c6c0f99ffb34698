"""Making and revoking django-oauth-toolkit's tokens."""

import secrets

from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_grant_model,
    get_refresh_token_model,
    revoke_access_token,
)


def new_token(request):
    """An access or refresh token: 256 bits, as 64 hex characters, the shape that
    the log and error-report filters redact (config/log_filters.py), where
    oauthlib's default (30 letters and digits) would pass through them."""
    return secrets.token_hex(32)


def revoke_tokens(user):
    """Revoke every token of the user, on every client, and the codes not yet exchanged."""
    get_refresh_token_model().objects.filter(user=user, revoked__isnull=True).update(
        revoked=timezone.now()
    )
    get_access_token_model().objects.filter(user=user).delete()
    get_grant_model().objects.filter(user=user).delete()


def revoke_token(access_token):
    """Revoke one access token and the refresh token issued with it (RFC 7009 §2.1)."""
    revoke_access_token(access_token)
