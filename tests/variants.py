"""The named variants: the single source of truth for what the tests render.

Each variant is a set of answers. `min_tests` is the least number of tests its
generated suite must pass, so a suite that silently shrinks or goes empty fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Variant:
    name: str
    answers: dict[str, object] = field(default_factory=dict)
    min_tests: int = 1

    def __str__(self) -> str:
        return self.name


VARIANTS = [
    # The full cross product of user_model x auth_backend; session_auth and
    # registration ride along on several backends each.
    Variant("default", {}, min_tests=62),  # user_model=username, auth_backend=authtoken
    Variant("email-authtoken", {"user_model": "email"}, min_tests=66),
    Variant(
        "django-authtoken-session-registration",
        {"user_model": "django", "session_auth": True, "registration": True},
        min_tests=71,
    ),
    Variant("username-knox", {"auth_backend": "knox"}, min_tests=63),
    Variant(
        "email-knox-registration",
        {"user_model": "email", "auth_backend": "knox", "registration": True},
        min_tests=72,
    ),
    Variant(
        "django-knox-session",
        {"user_model": "django", "auth_backend": "knox", "session_auth": True},
        min_tests=68,
    ),
    Variant(
        "username-jwt-session",
        {"auth_backend": "jwt", "session_auth": True},
        min_tests=76,
    ),
    Variant(
        "email-jwt-registration",
        {"user_model": "email", "auth_backend": "jwt", "registration": True},
        min_tests=80,
    ),
    Variant("django-jwt", {"user_model": "django", "auth_backend": "jwt"}, min_tests=71),
]

DEFAULT = VARIANTS[0]
