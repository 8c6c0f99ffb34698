"""What the OpenAPI schema needs to know about knox's tokens that the code cannot say.

Extensions name their target by class rather than by dotted path, so a rename
fails at import instead of silently dropping the docs (drf-spectacular accepts
both; its contrib classes declare a string, hence the type: ignore).
"""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from rest_framework import serializers

from .authentication import KnoxTokenAuthentication


class TokenResponseSerializer(serializers.Serializer):
    """The body of a login, and of a password change."""

    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class KnoxTokenAuthenticationScheme(KnoxTokenScheme):
    target_class = KnoxTokenAuthentication  # type: ignore[assignment]
    match_subclasses = True
