from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from .queries import user_for_token
from .services import new_refresh_token


class ObtainPairSerializer(TokenObtainPairSerializer):
    """SimpleJWT's login, with the user's token generation in every token."""

    @classmethod
    def get_token(cls, user):
        return new_refresh_token(user)


class RefreshSerializer(TokenRefreshSerializer):
    """SimpleJWT's refresh, refusing revoked tokens, and a deleted user with 401 rather than 500."""

    def validate(self, attrs):
        user_for_token(self.token_class(attrs["refresh"]))
        return super().validate(attrs)


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField(write_only=True)

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
