"""Django's database sessions, each row knowing whose session it is.

Django keeps the user of a session only inside its signed data, so the sessions
of one user cannot be found without decoding every row. This is the extension
Django documents for that ("Extending database-backed session engines"): a
session model with a user column and a store that fills it in. Ending a user's
sessions is then one DELETE, and deleting the user deletes them.
SESSION_ENGINE names this module.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class Session(AbstractBaseSession):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "users_session"

    @classmethod
    def get_session_store_class(cls):
        return SessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        return Session

    def create_model_instance(self, data):
        return with_user(super().create_model_instance(data), data)

    async def acreate_model_instance(self, data):
        return with_user(await super().acreate_model_instance(data), data)


def with_user(session, data):
    session.user_id = data.get(SESSION_KEY)
    return session


def end_sessions(user, keep=None):
    """End every session of the user, except the one whose key is `keep`."""
    sessions = Session.objects.filter(user=user)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    sessions.delete()
