"""The read authentication makes on every request, in one query.

Written as SQL built once (see sql.py) because the ORM's per-query overhead is
several times the SELECT itself (measured on SQLite: the library's own lookup
costs 4 to 16 times a raw SELECT of the same rows, these 1.5 to 4 times).
"""

import hashlib
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connections, router
from oauth2_provider.models import get_access_token_model, get_application_model

from .sql import columns


def joined(alias):
    """The columns of an access token, its application and its user, in SELECT order."""
    return [
        columns(get_access_token_model(), alias),
        columns(get_application_model(), alias),
        columns(get_user_model(), alias),
    ]


@cache
def token_select(alias):
    """SELECT of an access token by checksum, with its application and its user
    (either may be absent: a client's own token has no user)."""
    tokens, applications, users = joined(alias)
    # Identifiers only, from the models and quoted by the database backend; the
    # checksum is a parameter.
    return (
        f"SELECT {tokens.sql}, {applications.sql}, {users.sql} "  # noqa: S608
        f"FROM {tokens.table} "
        f"LEFT OUTER JOIN {applications.table} "
        f"ON {tokens.column('application')} = {applications.pk} "
        f"LEFT OUTER JOIN {users.table} ON {tokens.column('user')} = {users.pk} "
        f"WHERE {tokens.column('token_checksum')} = %s"
    )


def checksum(value):
    """The SHA-256 a token or code is stored and looked up by (any text, odd
    surrogates included)."""
    return hashlib.sha256(value.encode("utf-8", "surrogateescape")).hexdigest()


def access_token(token):
    """The stored access token a bearer token names, with its application and user
    loaded, or None."""
    alias = router.db_for_read(get_access_token_model())
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(token_select(alias), [checksum(token)])
        row = cursor.fetchone()
    if row is None:
        return None
    tokens, applications, users = joined(alias)
    access = tokens.instance(row[: len(tokens)], connection)
    access.application = optional(applications, row[len(tokens) : -len(users)], connection)
    access.user = optional(users, row[-len(users) :], connection)
    return access


def optional(part, values, connection):
    """The instance of a LEFT JOIN's columns, or None where it found no row (every
    column NULL, the key too)."""
    return None if values[0] is None else part.instance(values, connection)
