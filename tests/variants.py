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
    # The defaults: user_model=username, auth_backend=authtoken.
    Variant("default", {}, min_tests=51),
    Variant("email-user", {"user_model": "email"}, min_tests=55),
    Variant("django-user", {"user_model": "django"}, min_tests=51),
]

DEFAULT = VARIANTS[0]
