"""What the OpenAPI schema needs to know about SimpleJWT's tokens that the code cannot say.

Extensions name their target by class rather than by dotted path, so a rename
fails at import instead of silently dropping the docs (drf-spectacular accepts
both; its contrib classes declare a string, hence the type: ignore).
"""

from drf_spectacular.contrib.rest_framework_simplejwt import (
    SimpleJWTScheme,
    TokenObtainPairSerializerExtension,
    TokenRefreshSerializerExtension,
)
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from .authentication import RevocableJWTAuthentication
from .serializers import ObtainPairSerializer, RefreshSerializer

# SimpleJWT answers bad credentials and bad refresh tokens with 401.
BAD_CREDENTIALS = OpenApiResponse(
    inline_serializer("Error", fields={"detail": serializers.CharField()}),
    description="Bad credentials.",
)


class TokenResponseSerializer(serializers.Serializer):
    """The body of a login, and of a password change."""

    access = serializers.CharField()
    refresh = serializers.CharField()


class RevocableJWTAuthenticationScheme(SimpleJWTScheme):
    target_class = RevocableJWTAuthentication  # type: ignore[assignment]
    match_subclasses = True


class ObtainPairSerializerExtension(TokenObtainPairSerializerExtension):
    target_class = ObtainPairSerializer  # type: ignore[assignment]


class RefreshSerializerExtension(TokenRefreshSerializerExtension):
    target_class = RefreshSerializer  # type: ignore[assignment]
