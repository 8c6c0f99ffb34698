"""Issuing and revoking SimpleJWT tokens.

SimpleJWT can blacklist refresh tokens but cannot recall an access token before
it expires. Two additions close that gap, both read in the one query that finds
the user of a token (queries.user_for_token):
- logout denies the access token's `jti` (a DeniedToken row) until it expires;
- logout-all and password changes bump the user's TokenState generation, which
  every token carries in the `gen` claim.
"""

from typing import cast

from django.db.models import F
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from .models import GENERATION_CLAIM, DeniedToken, TokenState


def stored_generation(user):
    state = TokenState.objects.filter(user=user).values_list("generation", flat=True).first()
    return state or 0


def new_refresh_token(user):
    token = RefreshToken.for_user(user)
    token[GENERATION_CLAIM] = stored_generation(user)
    return token


def issue_token(user):
    refresh = new_refresh_token(user)
    return {"refresh": str(refresh), "access": str(refresh.access_token)}


def revoke_tokens(user):
    """Revoke every token of the user, on every device."""
    TokenState.objects.get_or_create(user=user)
    TokenState.objects.filter(user=user).update(generation=F("generation") + 1)


def blacklist_once(refresh):
    """Blacklist a refresh token; True only for the request whose insert made the
    row. The blacklist's token column is unique, so of two refreshes of one token
    at the same instant one insert wins; SimpleJWT's own refresh drops the
    `created` of this `get_or_create`."""
    # SimpleJWT annotates blacklist() as returning the row; it returns the pair.
    _row, created = cast(tuple[BlacklistedToken, bool], refresh.blacklist())
    return created


def deny_access_token(token):
    """Refuse this access token until it expires."""
    DeniedToken.objects.filter(expires_at__lte=timezone.now()).delete()
    DeniedToken.objects.get_or_create(
        jti=token[api_settings.JTI_CLAIM],
        defaults={"expires_at": datetime_from_epoch(token["exp"])},
    )
