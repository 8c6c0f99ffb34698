"""Making, exchanging and revoking django-oauth-toolkit's tokens and grants."""

import secrets
from datetime import timedelta

from django.utils import timezone
from oauth2_provider.models import (
    clear_expired,
    get_access_token_model,
    get_device_grant_model,
    get_grant_model,
    get_refresh_token_model,
    revoke_access_token,
)
from oauth2_provider.settings import oauth2_settings

from .models import ExchangedCode
from .queries import checksum


def new_token(request):
    """An access or refresh token: 256 bits, as 64 hex characters, the shape that
    the log and error-report filters redact (core/log_filters.py), where
    oauthlib's default (30 letters and digits) would pass through them."""
    return secrets.token_hex(32)


def revoke_tokens(user):
    """Revoke every token of the user, on every client, and every grant not yet
    exchanged: authorization codes, and device codes pending or approved."""
    get_refresh_token_model().objects.filter(user=user, revoked__isnull=True).update(
        revoked=timezone.now()
    )
    get_access_token_model().objects.filter(user=user).delete()
    get_grant_model().objects.filter(user=user).delete()
    get_device_grant_model().objects.filter(user=user).delete()
    ExchangedCode.objects.filter(user=user).delete()


def revoke_token(access_token):
    """Revoke one access token and the refresh token issued with it (RFC 7009 §2.1)."""
    revoke_access_token(access_token)


def consume_code(code, application):
    """Take an authorization code out of use; True for the one request that did. A
    conditional delete, so that of two exchanges at the same instant one loses."""
    deleted, _ = get_grant_model().objects.filter(code=code, application=application).delete()
    return deleted > 0


def consume_device_grant(device_code, client_id):
    """Take an approved device code out of use; True for the one request that did."""
    model = get_device_grant_model()
    deleted, _ = model.objects.filter(
        device_code=device_code, client_id=client_id, status=model.AUTHORIZED
    ).delete()
    return deleted > 0


def claim_device_grant(grant, user):
    """Give a pending device grant to the person who typed its code, unless someone
    else did first; True if it is theirs."""
    model = get_device_grant_model()
    pending = model.objects.filter(pk=grant.pk, status=model.AUTHORIZATION_PENDING)
    claimed = pending.filter(user=None).update(user=user)
    return claimed > 0 or pending.filter(user=user).exists()


def remember_exchange(code, request, access_token, refresh_token):
    """Keep what an authorization code produced for the rest of the code's lifetime."""
    ExchangedCode.objects.create(
        code_checksum=checksum(code),
        application=request.client,
        user=request.user,
        access_token_checksum=access_token.token_checksum,
        token_family=refresh_token.token_family if refresh_token else None,
        expires=timezone.now()
        + timedelta(seconds=oauth2_settings.AUTHORIZATION_CODE_EXPIRE_SECONDS),
    )


def revoke_replayed_code(code, application):
    """A code presented again after its exchange: revoke what it produced. True if it
    had been exchanged."""
    exchange = ExchangedCode.objects.filter(
        code_checksum=checksum(code), application=application
    ).first()
    if exchange is None:
        return False
    get_access_token_model().objects.filter(token_checksum=exchange.access_token_checksum).delete()
    get_refresh_token_model().revoke_family(exchange.token_family)
    exchange.delete()
    return True


def prune():
    """Delete what can no longer be used: django-oauth-toolkit's expired tokens and
    codes (its `cleartokens`), device grants past their expiry, and exchanged codes'
    records past the code's lifetime."""
    clear_expired()
    now = timezone.now()
    get_device_grant_model().objects.filter(expires__lt=now).delete()
    ExchangedCode.objects.filter(expires__lt=now).delete()
