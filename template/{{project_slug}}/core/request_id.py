"""Request IDs: every response carries `X-Request-ID`, and every log line written
while serving a request carries its ID (`request_id`), so a user's bug report
leads straight to the logs.

A small middleware rather than django-guid: django-guid keeps only UUIDs (a
proxy's non-UUID ID would be replaced), and its requirements exclude Django 6 on
Python 3.12.
"""

import logging
import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished

HEADER = "X-Request-ID"
# What a proxy's ID may look like to be kept: UUIDs, nginx's $request_id, ULIDs,
# Cloudflare's ray IDs. Anything else (control characters, newlines, JSON, long
# text) is replaced, so it never reaches a log line as given.
WELL_FORMED = re.compile(r"[A-Za-z0-9._:+/=-]{1,128}")
# gunicorn's access line (core/gunicorn_logging.py) reads these from the WSGI
# environ, which Django's request.META is.
ENVIRON_REQUEST_ID = "app.request_id"
ENVIRON_USER_ID = "app.user_id"

current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


class RequestIDMiddleware:
    """First in MIDDLEWARE, so every response gets the header, errors included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if WELL_FORMED.fullmatch(given) else str(uuid.uuid4())
        # Not reset when the middleware returns: Django logs 4xx and 5xx responses
        # after the last middleware, and they belong to this request too.
        current_request_id.set(request_id)
        request.META[ENVIRON_REQUEST_ID] = request_id
        response = self.get_response(request)
        response[HEADER] = request_id
        # DRF sets the user it authenticated on Django's request too.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.META[ENVIRON_USER_ID] = user.pk
        return response


def forget_request_id(**kwargs):
    """Lines logged between requests belong to none."""
    current_request_id.set(None)


request_finished.connect(forget_request_id, dispatch_uid="forget_request_id")


class RequestIDFilter(logging.Filter):
    """Give every record the ID of the request being served ("-" outside one)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get() or "-"
        return True
