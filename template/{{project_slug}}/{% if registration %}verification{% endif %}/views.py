from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from ..users.links import INVALID_LINK
from ..users.serializers import DetailSerializer
from ..users.throttles import (
    LinkClientThrottle,
    MailAccountThrottle,
    MailClientThrottle,
    MailInboxThrottle,
)
from .serializers import ResendVerificationSerializer, VerifyEmailSerializer
from .services import request_verification_mail, verify

RESEND_REQUESTED = "If a sign-up awaits verification at this address, a new link is on its way."


class VerifyEmailView(GenericAPIView):
    """Verify a sign-up's email address with the uid and token of the mailed link;
    the account can then log in."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = VerifyEmailSerializer
    throttle_classes = [LinkClientThrottle]

    @extend_schema(responses={204: None})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not verify(serializer.validated_data["user"]):
            raise ValidationError({"token": [INVALID_LINK]})
        return Response(status=status.HTTP_204_NO_CONTENT)


class ResendVerificationView(GenericAPIView):
    """Ask for a new verification link. The answer is the same whether or not a
    sign-up awaits verification at this address, and so is the work."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = ResendVerificationSerializer
    throttle_classes = [MailClientThrottle, MailAccountThrottle, MailInboxThrottle]

    @extend_schema(responses={202: DetailSerializer})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        request_verification_mail(serializer.validated_data["email"])
        return Response({"detail": RESEND_REQUESTED}, status=status.HTTP_202_ACCEPTED)
