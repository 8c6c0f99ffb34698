"""The named variants: the single source of truth for what the tests render.

Each variant is a set of answers. `min_tests` is the least number of tests its
generated suite must pass, so a suite that silently shrinks or goes empty fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .backends import Backend, backend_of


@dataclass(frozen=True)
class Variant:
    name: str
    answers: dict[str, object] = field(default_factory=dict)
    min_tests: int = 1
    # Fuzz its API with schemathesis (one variant per backend, with api_docs,
    # registration and session auth on).
    fuzz: bool = False

    def __str__(self) -> str:
        return self.name

    @property
    def backend(self) -> Backend:
        return backend_of(self.answers)


VARIANTS = [
    # The full cross product of user_model x auth_backend; session_auth,
    # registration and api_docs=false ride along on several backends each, and
    # browser_clients on the three password-login backends (jwt fuzzed, authtoken
    # on PostgreSQL and in a container, knox on Django 6.1); mfa on every backend and
    # user model (jwt fuzzed and with browser_clients).
    Variant("default", {}, min_tests=280),  # user_model=username, auth_backend=authtoken
    Variant("email-authtoken-mfa", {"user_model": "email", "mfa": True}, min_tests=400),
    Variant(
        "django-authtoken-session-registration",
        {"user_model": "django", "session_auth": True, "registration": True},
        min_tests=291,
        fuzz=True,
    ),
    Variant("username-knox-nodocs", {"auth_backend": "knox", "api_docs": False}, min_tests=272),
    Variant(
        "email-knox-session-registration",
        {"user_model": "email", "auth_backend": "knox", "session_auth": True, "registration": True},
        min_tests=314,
        fuzz=True,
    ),
    Variant(
        "django-knox-session-mfa",
        {"user_model": "django", "auth_backend": "knox", "session_auth": True, "mfa": True},
        min_tests=262,
    ),
    Variant(
        "username-jwt-session-registration-browser-mfa",
        {
            "auth_backend": "jwt",
            "session_auth": True,
            "registration": True,
            "browser_clients": True,
            "mfa": True,
        },
        min_tests=340,
        fuzz=True,
    ),
    Variant(
        "username-oauth2-session-registration",
        {"auth_backend": "oauth2", "session_auth": True, "registration": True},
        min_tests=378,
        fuzz=True,
    ),
    Variant(
        "email-oauth2-registration-mfa",
        {"user_model": "email", "auth_backend": "oauth2", "registration": True, "mfa": True},
        min_tests=364,
    ),
    # django-oauth-toolkit 3.4 declares Django up to 6.0: run it on 6.1 too.
    Variant(
        "django-oauth2-nodocs-django61-py312",
        {
            "user_model": "django",
            "auth_backend": "oauth2",
            "api_docs": False,
            "django_version": "6.1",
            "python_version": "3.12",
        },
        min_tests=299,
    ),
    Variant(
        "email-jwt-registration",
        {"user_model": "email", "auth_backend": "jwt", "registration": True},
        min_tests=326,
    ),
    # Django's feature release, on the Python it needs (found under pyenv if not on PATH).
    Variant(
        "email-knox-browser-django61-py312",
        {
            "user_model": "email",
            "auth_backend": "knox",
            "browser_clients": True,
            "django_version": "6.1",
            "python_version": "3.12",
        },
        min_tests=276,
    ),
    # Real servers: PostgreSQL and Redis, each on two backends (sign-ups lock
    # their identifiers with PostgreSQL's advisory locks here).
    Variant(
        "username-authtoken-registration-browser-postgresql-redis",
        {"database": "postgresql", "cache": "redis", "registration": True, "browser_clients": True},
        min_tests=279,
    ),
    # JWT on PostgreSQL, on the newest Python offered (also in a container: test_containers.py).
    Variant(
        "email-jwt-postgresql-py313",
        {
            "user_model": "email",
            "auth_backend": "jwt",
            "database": "postgresql",
            "python_version": "3.13",
        },
        min_tests=294,
    ),
    Variant(
        "django-knox-redis",
        {"user_model": "django", "auth_backend": "knox", "cache": "redis"},
        min_tests=256,
    ),
    # A package name that sorts before `config`: the import order must not depend on
    # it. And a project as one updated from before 0.5.0 is: no API defaults, no notes.
    Variant(
        "django-jwt-nodocs-acme",
        {
            "project_name": "Acme Orders",
            "user_model": "django",
            "auth_backend": "jwt",
            "api_docs": False,
            "api_defaults": False,
            "example_api": False,
        },
        min_tests=263,
    ),
]

DEFAULT = VARIANTS[0]
FUZZED = [variant for variant in VARIANTS if variant.fuzz]
