from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from ..api.serializers import TextField
from .queries import user_for_token
from .services import blacklist_once, new_refresh_token


class ObtainPairSerializer(TokenObtainPairSerializer):
    """SimpleJWT's login, with the user's token generation in every token."""

    @classmethod
    def get_token(cls, user):
        return new_refresh_token(user)


class RefreshSerializer(TokenRefreshSerializer):
    """SimpleJWT's refresh (rotate, blacklist the token sent), refusing revoked
    tokens, a deleted user with 401 rather than 500, and a token refreshed twice at
    the same instant.

    SimpleJWT checks the blacklist when it reads the token and blacklists it later
    with `get_or_create`, dropping `created`: two refreshes that both read it before
    either blacklisted it both succeed. Here the blacklist row is the gate: its
    token column is unique, so of two inserts one wins, and only that request gets
    new tokens."""

    def validate(self, attrs):
        refresh = self.token_class(attrs["refresh"])
        user_for_token(refresh)
        if not blacklist_once(refresh):
            raise InvalidToken()
        data = {"access": str(refresh.access_token)}
        refresh.set_jti()
        refresh.set_exp()
        refresh.set_iat()
        refresh.outstand()
        data["refresh"] = str(refresh)
        return data


class LogoutSerializer(serializers.Serializer):
    refresh = TextField(write_only=True)

    def validate_refresh(self, value):
        try:
            token = RefreshToken(value)
        except TokenError as error:
            raise serializers.ValidationError(str(error)) from None
        user = self.context["request"].user
        owner = str(token.get(api_settings.USER_ID_CLAIM))
        if owner != str(getattr(user, api_settings.USER_ID_FIELD)):
            raise serializers.ValidationError(_("This refresh token belongs to another user."))
        return token
