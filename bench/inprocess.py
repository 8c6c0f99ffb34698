"""Run by a rendered project's own Python (cwd: the project): the cost each
authentication class adds to a request, against one raw indexed SELECT of the
same rows (the floor), and the queries an authenticated request makes.

Arguments: the project's package name, and its backend's registry entry as JSON
(`harness.backends`, passed in because this script runs in the project's own
virtualenv). Prints one JSON object. Needs DJANGO_SETTINGS_MODULE and a migrated,
empty database.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import sys
import time
from collections.abc import Callable
from importlib import import_module, metadata

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402
from issue import issue  # noqa: E402 (beside this script, which runs from its folder)
from rest_framework.request import Request  # noqa: E402
from rest_framework.test import APIRequestFactory  # noqa: E402

VERSIONS = (
    "Django",
    "djangorestframework",
    "gunicorn",
    "psycopg",
)
ROUNDS = 9
NUMBER = 2000


def installed_versions(backend: dict) -> dict[str, str]:
    versions = {}
    for distribution in filter(None, [*VERSIONS, backend["package"]]):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[distribution] = metadata.version(distribution)
    return versions


def per_call_us(functions: dict[str, Callable[[], object]]) -> dict[str, float]:
    """For each function, the least over ROUNDS of the mean time of one call, in µs.

    The functions take turns within each round, so a slower moment of the machine
    weighs on all of them alike; the least is the round least disturbed, as timeit
    advises.
    """
    for function in functions.values():
        for _ in range(200):
            function()
    best = dict.fromkeys(functions, float("inf"))
    gc.disable()  # as timeit does: collections would land on whichever call is running
    try:
        for _ in range(ROUNDS):
            for name, function in functions.items():
                start = time.perf_counter()
                for _ in range(NUMBER):
                    function()
                mean = (time.perf_counter() - start) / NUMBER * 1e6
                best[name] = min(best[name], mean)
    finally:
        gc.enable()
    return best


def concrete_columns(model) -> list[str]:
    return [field.column for field in model._meta.concrete_fields]


def quoted(model, columns: list[str]) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    return ", ".join(f"{table}.{connection.ops.quote_name(column)}" for column in columns)


def floor_sql(slug: str, backend: dict) -> tuple[str, list]:
    """One indexed SELECT of the rows the backend needs, every column of them, in the
    models' field order; and the models whose columns it holds, in that order."""
    user = get_user_model()
    if backend["token_model"] is None:
        user_table = connection.ops.quote_name(user._meta.db_table)
        # JWT: the token carries the user's id.
        user_pk = f"{user_table}.{connection.ops.quote_name(user._meta.pk.column)}"
        state = import_module(f"{slug}.tokens.models").TokenState
        state_table = connection.ops.quote_name(state._meta.db_table)
        sql = (
            f"SELECT {quoted(user, concrete_columns(user))}, {quoted(state, ['generation'])} "
            f"FROM {user_table} LEFT JOIN {state_table} "
            f"ON {state_table}.{connection.ops.quote_name('user_id')} = {user_pk} "
            f"WHERE {user_pk} = %s"
        )
        return sql, [user]
    token, lookup = import_string(backend["token_model"]), backend["token_lookup"]
    token_table = connection.ops.quote_name(token._meta.db_table)
    # The rows the token names: its user, and an authorization server's client.
    joined = [token._meta.get_field(name) for name in backend["token_joins"]]
    columns = ", ".join(
        quoted(model, concrete_columns(model))
        for model in [token, *(field.related_model for field in joined)]
    )
    joins = " ".join(
        f"INNER JOIN {connection.ops.quote_name(field.related_model._meta.db_table)} "
        f"ON {token_table}.{connection.ops.quote_name(field.column)} = "
        f"{connection.ops.quote_name(field.related_model._meta.db_table)}."
        f"{connection.ops.quote_name(field.related_model._meta.pk.column)}"
        for field in joined
    )
    sql = (
        f"SELECT {columns} FROM {token_table} {joins} "
        f"WHERE {token_table}.{connection.ops.quote_name(lookup)} = %s"
    )
    return sql, [token, *(field.related_model for field in joined)]


def main() -> None:
    slug, backend = sys.argv[1], json.loads(sys.argv[2])
    user = get_user_model().objects.create_user(
        **{get_user_model().USERNAME_FIELD: "bench@example.com"}, password="bench-password-1"
    )
    key = issue(slug, backend, user)
    header = f"{backend['scheme']} {key}"

    django_request = APIRequestFactory().get("/api/hello/", HTTP_AUTHORIZATION=header)
    project_class = import_string(settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"][0])

    # DRF wraps each request once, whatever authenticates it: not timed.
    drf_request = Request(django_request)

    def authenticate(cls):
        authenticator = cls()

        def call():
            result = authenticator.authenticate(drf_request)
            assert result is not None
            assert result[0].pk == user.pk

        return call

    sql, models = floor_sql(slug, backend)
    # JWT's floor reads the user by id; token tables are read by (a prefix of) the key.
    by_user = backend["token_model"] is None
    if by_user:
        floor_argument = user.pk
    elif backend["lookup_digest"]:  # the column holds the key's hash
        floor_argument = hashlib.new(backend["lookup_digest"], key.encode()).hexdigest()
    else:
        floor_argument = key[: backend["lookup_length"]]

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(sql, [floor_argument])
            assert cursor.fetchone() is not None

    # The floor again, its row then turned into instances by the project's own code
    # (tokens/sql.py: the database's converters, then Model.from_db), as the ORM
    # would: what any authentication that hands out model instances pays.
    sql_module = import_module(f"{slug}.tokens.sql")
    parts = [sql_module.columns(model, connection.alias) for model in models]

    def floor_and_instances():
        with connection.cursor() as cursor:
            cursor.execute(sql, [floor_argument])
            row = cursor.fetchone()
        offset = 0
        for part in parts:
            part.instance(row[offset : offset + len(part)], connection)
            offset += len(part)

    client = Client(HTTP_AUTHORIZATION=header)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/hello/")
    assert response.status_code == 200, response.content

    results = {
        "backend": backend["name"],
        "vendor": connection.vendor,
        **per_call_us(
            {
                "floor_us": floor,
                "floor_and_instances_us": floor_and_instances,
                "project_us": authenticate(project_class),
                "stock_us": authenticate(import_string(backend["stock_authentication"])),
            }
        ),
        "project_class": f"{project_class.__module__}.{project_class.__qualname__}",
        "queries": len(captured.captured_queries),
        "versions": installed_versions(backend),
        "sql": [query["sql"] for query in captured.captured_queries],
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
