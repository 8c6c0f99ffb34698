"""What the OpenAPI schema needs to know about DRF's tokens that the code cannot say.

drf-spectacular documents DRF's TokenAuthentication, and so its subclass here, by itself.
"""

from rest_framework import serializers


class TokenResponseSerializer(serializers.Serializer):
    """The body of a login, and of a password change."""

    token = serializers.CharField()
