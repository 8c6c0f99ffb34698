"""Login refuses a sign-up that has not verified its email address."""

from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from ..users.backends import PasswordBackend
from .models import PendingVerification

NOT_VERIFIED = "Verify your email address first: follow the link mailed to it."


class EmailNotVerified(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "email_not_verified"
    default_detail = {"detail": NOT_VERIFIED, "code": "email_not_verified"}


class VerifiedEmailBackend(PasswordBackend):
    """The project's backend (Django's, capping passwords); for a pending sign-up
    whose password is right, the API's login views (every token backend
    authenticates through here) answer
    `email_not_verified` rather than the wrong-credentials error, which a wrong
    password still gets. Django's login forms (the admin's, a login page) show
    the same message: AuthenticationForm.clean() calls authenticate(), so a
    ValidationError raised here becomes the form's error."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and PendingVerification.objects.filter(user=user).exists():
            if isinstance(request, Request):
                raise EmailNotVerified
            raise ValidationError(NOT_VERIFIED, code="email_not_verified")
        return user
