"""The reads authentication makes on every request, each in one query.

Written as SQL built once (see sql.py) because the ORM's per-query overhead is
several times the SELECT itself (measured on SQLite: the library's own lookup
costs 4 to 16 times a raw SELECT of the same rows, these 1.5 to 4 times).
"""

from functools import cache

from django.db import connections, router
from rest_framework.authtoken.models import Token

from .sql import columns


@cache
def token_select(alias):
    """SELECT of the token whose key is %s, joined with its user."""
    tokens = columns(Token, alias)
    users = columns(Token._meta.get_field("user").related_model, alias)
    # Identifiers only, from the models and quoted by the database backend; the
    # value is a parameter.
    return (
        f"SELECT {tokens.sql}, {users.sql} FROM {tokens.table} "  # noqa: S608
        f"INNER JOIN {users.table} ON {tokens.column('user')} = {users.pk} "
        f"WHERE {tokens.column('key')} = %s"
    )


def token_with_user(key):
    """The (token, user) pair for `key`, or None, in one query."""
    alias = router.db_for_read(Token)
    tokens = columns(Token, alias)
    users = columns(Token._meta.get_field("user").related_model, alias)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(token_select(alias), [key])
        row = cursor.fetchone()  # the key is the primary key
    if row is None:
        return None
    token = tokens.instance(row[: len(tokens)], connection)
    user = users.instance(row[len(tokens) :], connection)
    Token.user.field.set_cached_value(token, user)  # token.user, without a query
    return token, user
