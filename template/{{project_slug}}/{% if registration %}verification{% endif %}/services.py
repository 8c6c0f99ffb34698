"""Sign-ups and the verification of their email address. Mail is enqueued when
the transaction commits."""

from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from .models import PendingVerification
from .tasks import resend_verification, send_verification

TAKEN = {
    "username": "A user with that username already exists.",
    "email": "A user with that email address already exists.",
}


def sign_up(*, password, **identifiers):
    """Create an account that cannot log in until the link mailed to its address
    is followed (with its password: see `verify`).

    One identifier, one account, under concurrency too: the identifiers are
    locked, then checked, then inserted, so of two sign-ups of one address at the
    same instant the second finds the first's account. A sign-up still pending
    at the same address is replaced rather than refused: whoever registers an
    address first cannot keep its owner out of it.
    """
    users = get_user_model()._default_manager
    with transaction.atomic():
        lock_identifiers(*(value.casefold() for value in identifiers.values()))
        users.filter(email__iexact=identifiers["email"], pendingverification__isnull=False).delete()
        taken = {
            field: [TAKEN[field]]
            for field, value in identifiers.items()
            if users.filter(**{f"{field}__iexact": value}).exists()
        }
        if taken:
            raise ValidationError(taken)
        user = users.create_user(password=password, **identifiers)
        PendingVerification.objects.create(user=user)
        transaction.on_commit(partial(send_verification.enqueue, user.pk))
    return user


def lock_identifiers(*identifiers):
    """Hold these identifiers until the transaction ends. Django's own user table
    folds no case and has no unique email, so the check before an insert is the
    only guard, and it holds only if two sign-ups of one identifier never run it
    at once. PostgreSQL: a transaction-scoped advisory lock per identifier (in
    one order, so two sign-ups cannot deadlock). SQLite needs none: every
    transaction here begins IMMEDIATE, holding the database's write lock."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for identifier in sorted(set(identifiers)):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [identifier])


def request_verification_mail(email):
    transaction.on_commit(partial(resend_verification.enqueue, email))


def verify(user):
    """Let a pending sign-up log in; False if it is no longer pending. The delete is
    the gate: of two posts of one link at the same instant, one deletes the row."""
    deleted, _ = PendingVerification.objects.filter(user=user).delete()
    return bool(deleted)
