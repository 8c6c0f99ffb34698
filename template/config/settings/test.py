"""Settings for the test suite (pytest-django)."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-never-used-outside-the-test-suite"  # noqa: S105

ALLOWED_HOSTS = ["testserver"]

# Real hashing costs ~0.2 s per password; the tests check behaviour, not hashing strength.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
