"""Passkeys of the signed-in user (register, list, rename, delete), and the options
of an assertion (for a passwordless login, or a fresh proof)."""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from ..api.schema import DeleteWithBodySchema
from .errors import PASSKEY_INVALID, PASSKEY_LIMIT, MfaError
from .factors import first_factor_codes, remove_passkey
from .models import Passkey
from .passkeys import MAX_PASSKEYS, add_passkey, login_options, registration_options
from .serializers import (
    PasskeyRegisteredSerializer,
    PasskeyRegistrationSerializer,
    PasskeySerializer,
    ProofSerializer,
    TOTPStartSerializer,
)
from .throttles import CodeAccountThrottle, CodeClientThrottle


def own_passkeys(request):
    user = request.user
    # drf-spectacular asks as an anonymous caller when it writes the schema.
    if not user.is_authenticated:
        return Passkey.objects.none()
    return Passkey.objects.filter(user=user)


@method_decorator(never_cache, name="dispatch")
class RegistrationOptionsView(generics.GenericAPIView):
    """Start registering a passkey, with the password (and a current factor once
    the account has one): the options for navigator.credentials.create()."""

    serializer_class = TOTPStartSerializer
    throttle_classes = [ScopedRateThrottle, CodeClientThrottle, CodeAccountThrottle]
    throttle_scope = "password_change"

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        if Passkey.objects.filter(user=request.user).count() >= MAX_PASSKEYS:
            raise MfaError(PASSKEY_LIMIT)
        self.get_serializer(data=request.data).is_valid(raise_exception=True)
        return Response(registration_options(request.user))


@method_decorator(never_cache, name="dispatch")
class PasskeyListView(generics.ListCreateAPIView):
    """The caller's passkeys; POST registers one with the answer of
    navigator.credentials.create() to the options of registration-options/ (and
    answers the recovery codes, once, if it is the account's first factor)."""

    serializer_class = PasskeySerializer
    pagination_class = None

    def get_queryset(self):
        return own_passkeys(self.request).order_by("created_at", "pk")

    @extend_schema(
        request=PasskeyRegistrationSerializer, responses={201: PasskeyRegisteredSerializer}
    )
    def post(self, request):
        serializer = PasskeyRegistrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        if Passkey.objects.filter(user=user).count() >= MAX_PASSKEYS:
            raise MfaError(PASSKEY_LIMIT)
        passkey = add_passkey(
            user, serializer.validated_data["credential"], serializer.validated_data["name"]
        )
        if passkey is None:
            raise MfaError(PASSKEY_INVALID)
        answer = dict(PasskeyRegisteredSerializer(passkey).data)
        if codes := first_factor_codes(user):
            answer["recovery_codes"] = codes
        return Response(answer, status=status.HTTP_201_CREATED)


@method_decorator(never_cache, name="dispatch")
class PasskeyDetailView(generics.RetrieveUpdateDestroyAPIView):
    """One of the caller's passkeys: rename it (PATCH), or delete it (DELETE, with
    the password and a current factor)."""

    serializer_class = PasskeySerializer
    schema = DeleteWithBodySchema()
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return own_passkeys(self.request)

    def get_throttles(self):
        throttles: list[BaseThrottle] = super().get_throttles()
        if self.request.method == "DELETE":
            throttles += [CodeClientThrottle(), CodeAccountThrottle()]
        return throttles

    @extend_schema(request=ProofSerializer, responses={204: None})
    def delete(self, request, *args, **kwargs):
        passkey = self.get_object()
        ProofSerializer(data=request.data, context=self.get_serializer_context()).is_valid(
            raise_exception=True
        )
        remove_passkey(passkey)
        return Response(status=status.HTTP_204_NO_CONTENT)


@method_decorator(never_cache, name="dispatch")
class LoginOptionsView(APIView):
    """The options for navigator.credentials.get() with any of the site's passkeys:
    for a passwordless login, or a fresh proof (as `assertion`). One use, a few
    minutes."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [CodeClientThrottle]

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        return Response(login_options())
