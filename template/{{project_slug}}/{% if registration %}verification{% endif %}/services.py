"""Email verification of sign-ups. Mail is enqueued when the transaction commits."""

from functools import partial

from django.db import transaction

from .models import PendingVerification
from .tasks import resend_verification, send_verification


def start_verification(user):
    """A new sign-up: it cannot log in until the link mailed to it is followed."""
    PendingVerification.objects.create(user=user)
    transaction.on_commit(partial(send_verification.enqueue, user.pk))


def request_verification_mail(email):
    transaction.on_commit(partial(resend_verification.enqueue, email))


def verify(user):
    PendingVerification.objects.filter(user=user).delete()
