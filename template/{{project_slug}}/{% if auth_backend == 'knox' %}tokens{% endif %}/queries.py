"""The reads authentication makes on every request, each in one query.

Written as SQL built once (see sql.py) because the ORM's per-query overhead is
several times the SELECT itself (measured on SQLite: the library's own lookup
costs 4 to 16 times a raw SELECT of the same rows, these 1.5 to 4 times).
"""

from functools import cache

from django.db import connections, router
from knox.models import get_token_model

from .sql import columns


@cache
def token_select(model, alias):
    """SELECT of the tokens whose key prefix is %s, each joined with its user."""
    tokens = columns(model, alias)
    users = columns(model._meta.get_field("user").related_model, alias)
    # Identifiers only, from the models and quoted by the database backend; the
    # value is a parameter.
    return (
        f"SELECT {tokens.sql}, {users.sql} FROM {tokens.table} "  # noqa: S608
        f"INNER JOIN {users.table} ON {tokens.column('user')} = {users.pk} "
        f"WHERE {tokens.column('token_key')} = %s"
    )


def tokens_with_users(prefix):
    """The (token, user) pairs whose key starts with `prefix`, in one query.

    knox stores a 15-character prefix of each key; several tokens may share one.
    """
    model = get_token_model()
    alias = router.db_for_read(model)
    tokens = columns(model, alias)
    users = columns(model._meta.get_field("user").related_model, alias)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(token_select(model, alias), [prefix])
        rows = cursor.fetchall()
    pairs = []
    for row in rows:
        token = tokens.instance(row[: len(tokens)], connection)
        user = users.instance(row[len(tokens) :], connection)
        model.user.field.set_cached_value(token, user)  # token.user, without a query
        pairs.append((token, user))
    return pairs
