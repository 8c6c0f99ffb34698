"""Local development: what `manage.py` uses. Works with no `.env` at all, on SQLite."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# A fixed, obviously insecure key so a fresh checkout runs with no setup; the
# `.env` written when the project was generated holds a random one.
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="django-insecure-development-only-never-use-this-key-in-production",
)

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
