from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from ..users.login_throttles import LoginThrottleMixin
from ..users.sessions import end_sessions
from .schema import BAD_CREDENTIALS
from .serializers import LogoutSerializer, ObtainPairSerializer, RefreshSerializer
from .services import deny_access_token, revoke_tokens


@method_decorator(never_cache, name="dispatch")
@extend_schema(responses={200: ObtainPairSerializer, 401: BAD_CREDENTIALS})
class ObtainTokenView(LoginThrottleMixin, TokenObtainPairView):
    """Exchange credentials for an access token and a refresh token."""

    serializer_class = ObtainPairSerializer


@method_decorator(never_cache, name="dispatch")
@extend_schema(responses={200: RefreshSerializer, 401: BAD_CREDENTIALS})
class RefreshTokenView(TokenRefreshView):
    """Exchange a refresh token for a new access token and a new refresh token.

    The refresh token sent is blacklisted: each one can be used once.
    """

    serializer_class = RefreshSerializer


class LogoutView(GenericAPIView):
    """Blacklist the refresh token sent and refuse the access token used, until it expires."""

    permission_classes = [IsAuthenticated]
    serializer_class = LogoutSerializer

    @extend_schema(responses={204: None})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.validated_data["refresh"].blacklist()
        if request.auth is not None:
            deny_access_token(request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every access and refresh token of the user, and end their sessions."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        revoke_tokens(request.user)
        end_sessions(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
