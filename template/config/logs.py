"""How the project logs: readable text in development, one JSON object per line
on stdout in production (python-json-logger). The settings and gunicorn.conf.py
both build their configuration here, so gunicorn's own lines share the format.

Every line passes through the same two filters: the ID of the request being
served, and secrets redacted.
"""

import logging

from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from config.log_filters import redact

TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RedactingFormatter(logging.Formatter):
    """Tracebacks can quote a token (an exception's message): redacted like messages."""

    def formatException(self, ei):
        return redact(super().formatException(ei))


class JsonLineFormatter(RedactingFormatter, JsonFormatter):
    """time, level, logger, message and request_id, plus what a record adds
    (gunicorn's access lines: method, path, status, duration_ms, user_id)."""

    def __init__(self):
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
            # Django's request log records carry the request object, whose text
            # holds the query string.
            reserved_attrs=[*RESERVED_ATTRS, "request", "server_time"],
        )


def logging_config(log_format: str, level: str) -> dict:
    """dictConfig for `log_format` "json" or "text"; records below `level` are dropped."""
    formatters = {
        "json": {"()": "config.logs.JsonLineFormatter"},
        "text": {"()": "config.logs.RedactingFormatter", "fmt": TEXT},
    }
    if log_format not in formatters:
        raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {log_format!r}.")
    console = {"handlers": ["console"], "level": "INFO", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "config.request_id.RequestIDFilter"},
            "redact_secrets": {"()": "config.log_filters.RedactSecrets"},
        },
        "formatters": {"default": formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "default",
                "filters": ["request_id", "redact_secrets"],
            }
        },
        "loggers": {
            # Django's own console handler would print each record a second time,
            # beside the root's.
            "django": {"handlers": [], "level": level},
            # runserver's and gunicorn's lines, on this handler rather than their own.
            "django.server": console,
            "gunicorn.error": console,
            "gunicorn.access": console,
        },
        "root": {"handlers": ["console"], "level": level},
    }
