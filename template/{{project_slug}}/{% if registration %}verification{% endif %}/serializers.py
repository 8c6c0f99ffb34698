from django.contrib.auth import get_user_model
from rest_framework import serializers

from ..users.links import user_of_link
from .tokens import verification_tokens


class VerifyEmailSerializer(serializers.Serializer):
    """The uid and token of a verification link."""

    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)

    def validate(self, attrs):
        user = user_of_link(attrs["uid"], attrs["token"], verification_tokens)
        if user is None:
            raise serializers.ValidationError({"token": ["This link is invalid or has expired."]})
        return {"user": user}


class ResendVerificationSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)

    def validate_email(self, value):
        return get_user_model().objects.normalize_email(value)
