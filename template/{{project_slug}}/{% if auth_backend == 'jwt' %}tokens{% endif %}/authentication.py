from rest_framework_simplejwt.authentication import JWTAuthentication

from .queries import user_for_token


class RevocableJWTAuthentication(JWTAuthentication):
    """SimpleJWT's authentication, also refusing access tokens revoked by this
    project, and reading the user and its revocations in one query."""

    def get_user(self, validated_token):
        return user_for_token(validated_token)
