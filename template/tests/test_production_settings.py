"""Production settings refuse unsafe configuration and pass Django's deployment checks.

Each case starts a fresh `manage.py` process: settings are read once, at startup.
"""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

SAFE_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    # Only what each test sets counts: no local .env file.
    "DJANGO_ENV_FILE": os.devnull,
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "api.example.com",
}


def manage(*args, **environment):
    env = {**os.environ, **SAFE_ENVIRONMENT, **environment}
    env = {name: value for name, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_passes_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "too-short"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "django-insecure-" + "x" * 60}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "a" * 60}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG"),
    ],
    ids=[
        "missing-key",
        "short-key",
        "insecure-key",
        "repetitive-key",
        "missing-hosts",
        "empty-hosts",
        "debug-on",
    ],
)
def test_production_refuses_to_start(environment, message):
    result = manage("check", **environment)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
