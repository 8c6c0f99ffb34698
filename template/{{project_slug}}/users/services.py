"""Account writes. Mail is enqueued when the transaction commits: a request that
fails and rolls back sends nothing, and the worker finds what it committed."""

from functools import partial

from django.db import transaction

from ..tokens.services import revoke_tokens
from .tasks import send_password_reset


def request_password_reset(field, value):
    transaction.on_commit(partial(send_password_reset.enqueue, field, value))


def reset_password(user, password):
    """Set the password from a reset link, and end every token of the user (sessions
    end by themselves: their hash no longer matches)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    revoke_tokens(user)
