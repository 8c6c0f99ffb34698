"""The read authentication makes on every request, in one query.

Written as SQL built once (see sql.py) because the ORM's per-query overhead is
several times the SELECT itself; BENCHMARKS.md has the figures.
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


def access_token(token):
    """The stored access token a bearer token names, with its application and user
    loaded, or None."""
    checksum = hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()
    alias = router.db_for_read(get_access_token_model())
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(token_select(alias), [checksum])
        row = cursor.fetchone()
    if row is None:
        return None
    instances = []
    for part in joined(alias):
        values, row = row[: len(part)], row[len(part) :]
        # A LEFT JOIN that found nothing gives NULL for every column, the key too.
        instances.append(None if values[0] is None else part.instance(values, connection))
    access, application, user = instances
    access.application = application
    access.user = user
    return access
