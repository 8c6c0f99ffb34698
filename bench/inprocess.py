"""Run by a rendered project's own Python (cwd: the project): the cost each
authentication class adds to a request, against one raw indexed SELECT of the
same rows (the floor), and the queries an authenticated request makes.

Prints one JSON object. Needs DJANGO_SETTINGS_MODULE and a migrated, empty database.
"""

from __future__ import annotations

import contextlib
import json
import statistics
import sys
import time
from importlib import import_module, metadata

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.test import APIRequestFactory  # noqa: E402

VERSIONS = (
    "Django",
    "djangorestframework",
    "django-rest-knox",
    "djangorestframework-simplejwt",
    "gunicorn",
    "psycopg",
)
ROUNDS = 7
NUMBER = 2000


def installed_versions() -> dict[str, str]:
    versions = {}
    for distribution in VERSIONS:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[distribution] = metadata.version(distribution)
    return versions


def per_call_us(function) -> float:
    """The median over ROUNDS of the mean time of one call, in µs."""
    for _ in range(200):
        function()
    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(NUMBER):
            function()
        rounds.append((time.perf_counter() - start) / NUMBER * 1e6)
    return statistics.median(rounds)


def quoted(model, *columns: str) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    return ", ".join(f"{table}.{connection.ops.quote_name(column)}" for column in columns)


def user_columns() -> list[str]:
    return [field.column for field in get_user_model()._meta.concrete_fields]


def floor_sql(backend: str) -> str:
    """One indexed SELECT of the rows the backend needs, every user column included."""
    user = get_user_model()
    user_table = connection.ops.quote_name(user._meta.db_table)
    user_pk = f"{user_table}.{connection.ops.quote_name(user._meta.pk.column)}"
    if backend == "jwt":
        state = import_module(f"{slug}.tokens.models").TokenState
        state_table = connection.ops.quote_name(state._meta.db_table)
        return (
            f"SELECT {quoted(user, *user_columns())}, {quoted(state, 'generation')} "
            f"FROM {user_table} LEFT JOIN {state_table} "
            f"ON {state_table}.{connection.ops.quote_name('user_id')} = {user_pk} "
            f"WHERE {user_pk} = %s"
        )
    if backend == "knox":
        token = import_module("knox.models").AuthToken
        columns, lookup = ("digest", "token_key", "created", "expiry", "user_id"), "token_key"
    else:
        token = import_module("rest_framework.authtoken.models").Token
        columns, lookup = ("key", "created", "user_id"), "key"
    token_table = connection.ops.quote_name(token._meta.db_table)
    return (
        f"SELECT {quoted(token, *columns)}, {quoted(user, *user_columns())} "
        f"FROM {token_table} INNER JOIN {user_table} "
        f"ON {token_table}.{connection.ops.quote_name('user_id')} = {user_pk} "
        f"WHERE {token_table}.{connection.ops.quote_name(lookup)} = %s"
    )


STOCK = {
    "authtoken": "rest_framework.authentication.TokenAuthentication",
    "knox": "knox.auth.TokenAuthentication",
    "jwt": "rest_framework_simplejwt.authentication.JWTAuthentication",
}


def main() -> None:
    global slug
    slug = sys.argv[1]
    installed = settings.INSTALLED_APPS
    backend = (
        "knox"
        if "knox" in installed
        else "jwt"
        if "rest_framework_simplejwt.token_blacklist" in installed
        else "authtoken"
    )
    services = import_module(f"{slug}.tokens.services")
    user = get_user_model().objects.create_user(
        **{get_user_model().USERNAME_FIELD: "bench@example.com"}, password="bench-password-1"
    )
    issued = services.issue_token(user)
    key = issued.get("access") or issued["token"]
    scheme = "Bearer" if backend == "jwt" else "Token"
    header = f"{scheme} {key}"

    django_request = APIRequestFactory().get("/api/hello/", HTTP_AUTHORIZATION=header)
    project_class = import_string(settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"][0])

    def authenticate(cls):
        authenticator = cls()

        def call():
            result = authenticator.authenticate(Request(django_request))
            assert result is not None
            assert result[0].pk == user.pk

        return call

    sql = floor_sql(backend)
    floor_argument = user.pk if backend == "jwt" else key[:15] if backend == "knox" else key

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(sql, [floor_argument])
            assert cursor.fetchone() is not None

    def wrap_only():
        Request(django_request)

    client = Client(HTTP_AUTHORIZATION=header)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/hello/")
    assert response.status_code == 200, response.content

    results = {
        "backend": backend,
        "vendor": connection.vendor,
        "floor_us": per_call_us(floor),
        "request_wrap_us": per_call_us(wrap_only),
        "project_us": per_call_us(authenticate(project_class)),
        "stock_us": per_call_us(authenticate(import_string(STOCK[backend]))),
        "project_class": f"{project_class.__module__}.{project_class.__qualname__}",
        "queries": len(captured.captured_queries),
        "versions": installed_versions(),
        "sql": [query["sql"] for query in captured.captured_queries],
    }
    print(json.dumps(results))


slug = ""

if __name__ == "__main__":
    main()
