"""Login through the API refuses a sign-up that has not verified its email address."""

from django.contrib.auth.backends import ModelBackend
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from .models import PendingVerification


class EmailNotVerified(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "email_not_verified"
    default_detail = {
        "detail": "Verify your email address first: follow the link mailed to it.",
        "code": "email_not_verified",
    }


class VerifiedEmailBackend(ModelBackend):
    """Django's ModelBackend; for a pending sign-up whose password is right, the API's
    login views (every token backend authenticates through here) answer
    `email_not_verified` rather than the wrong-credentials error, which a wrong
    password still gets. Django's own forms (the admin) get no user, as for a
    wrong password: the exception would be a 500 there."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and PendingVerification.objects.filter(user=user).exists():
            if isinstance(request, Request):
                raise EmailNotVerified
            return None
        return user
