from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle

from ..api.schema import DeleteWithBodySchema
from .errors import (
    CODE_INVALID,
    TOTP_ACTIVE,
    TOTP_NOT_ACTIVE,
    TOTP_NOT_PENDING,
    MfaError,
)
from .factors import (
    confirm_totp,
    disable_totp,
    has_factor,
    methods_of,
    new_recovery_codes,
    pending_totp,
    provisioning_uri,
    qr_code_svg,
    recovery_codes_left,
    start_totp,
)
from .serializers import (
    CodeSerializer,
    ProofSerializer,
    RecoveryCodesSerializer,
    StatusSerializer,
    TOTPSetupSerializer,
    TOTPStartSerializer,
)
from .throttles import CodeAccountThrottle, CodeClientThrottle


class CodeCheckingView(GenericAPIView):
    """A view of the signed-in user that takes a code: limited per client and per account."""

    throttle_classes = [CodeClientThrottle, CodeAccountThrottle]


@method_decorator(never_cache, name="dispatch")
class StatusView(GenericAPIView):
    """The caller's second factors, and how many recovery codes are left."""

    serializer_class = StatusSerializer

    def get(self, request):
        user = request.user
        return Response(
            {"methods": methods_of(user), "recovery_codes_left": recovery_codes_left(user)}
        )


@method_decorator(never_cache, name="dispatch")
class TOTPView(CodeCheckingView):
    """Set an authenticator app up (POST, with the password: a secret to scan,
    active once confirmed), or turn it off (DELETE, with the password and a code)."""

    schema = DeleteWithBodySchema()
    # Both check the password, like a password change; turning off checks a code too.
    throttle_scope = "password_change"

    def get_throttles(self):
        throttles: list[BaseThrottle] = [ScopedRateThrottle()]
        if self.request.method == "DELETE":
            throttles += [CodeClientThrottle(), CodeAccountThrottle()]
        return throttles

    def get_serializer_class(self):
        return ProofSerializer if self.request.method == "DELETE" else TOTPStartSerializer

    @extend_schema(request=TOTPStartSerializer, responses={201: TOTPSetupSerializer})
    def post(self, request):
        if has_factor(request.user):
            raise MfaError(TOTP_ACTIVE)
        self.get_serializer(data=request.data).is_valid(raise_exception=True)
        device = start_totp(request.user)
        if device is None:
            raise MfaError(TOTP_ACTIVE)
        uri = provisioning_uri(device)
        return Response(
            {"secret": device.secret, "otpauth_uri": uri, "qr_code_svg": qr_code_svg(uri)},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ProofSerializer, responses={204: None})
    def delete(self, request):
        if not has_factor(request.user):
            raise MfaError(TOTP_NOT_ACTIVE)
        self.get_serializer(data=request.data).is_valid(raise_exception=True)
        disable_totp(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@method_decorator(never_cache, name="dispatch")
class TOTPConfirmView(CodeCheckingView):
    """Turn the app on with a code from it; answers the recovery codes, once."""

    serializer_class = CodeSerializer

    @extend_schema(responses={200: RecoveryCodesSerializer})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if has_factor(request.user):
            raise MfaError(TOTP_ACTIVE)
        if not pending_totp(request.user):
            raise MfaError(TOTP_NOT_PENDING)
        codes = confirm_totp(request.user, serializer.validated_data["code"])
        if codes is None:
            raise MfaError(CODE_INVALID)
        return Response({"recovery_codes": codes})


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(CodeCheckingView):
    """A new set of recovery codes, with the password and a current code; the old
    set stops working."""

    serializer_class = ProofSerializer
    throttle_classes = [ScopedRateThrottle, *CodeCheckingView.throttle_classes]
    throttle_scope = "password_change"

    @extend_schema(responses={200: RecoveryCodesSerializer})
    def post(self, request):
        if not has_factor(request.user):
            raise MfaError(TOTP_NOT_ACTIVE)
        self.get_serializer(data=request.data).is_valid(raise_exception=True)
        return Response({"recovery_codes": new_recovery_codes(request.user)})
