from rest_framework import serializers

from ..api.serializers import TextField
from ..users.addresses import normalize_email
from ..users.links import INVALID_LINK, user_of_link
from ..users.serializers import password_field
from .tokens import verification_tokens


class VerifyEmailSerializer(serializers.Serializer):
    """The uid and token of a verification link, and the password of the sign-up.

    The link proves the mailbox; the password proves whoever signed up. Both are
    needed: someone who signs up with another person's address cannot have that
    person's click on an unexpected link hand them the account.
    """

    uid = TextField(max_length=64)
    token = TextField(max_length=128)
    password = password_field()

    def validate(self, attrs):
        user = user_of_link(attrs["uid"], attrs["token"], verification_tokens)
        if user is None:
            raise serializers.ValidationError({"token": [INVALID_LINK]})
        if not user.check_password(attrs["password"]):
            raise serializers.ValidationError(
                {"password": ["This is not the password this account was signed up with."]}
            )
        return {"user": user}


class ResendVerificationSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)

    def validate_email(self, value):
        return normalize_email(value)
