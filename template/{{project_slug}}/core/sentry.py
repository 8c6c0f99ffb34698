"""Error reporting with sentry-sdk, on in production when SENTRY_DSN is set.

Reports carry the request ID (tag `request_id`) and no secret: no Authorization
header, cookie, request body or frame variable, and tokens redacted from the rest.
"""

import re

import sentry_sdk
from django.core.exceptions import ImproperlyConfigured
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.utils import BadDsn, Dsn

from .log_filters import redact
from .request_id import current_request_id

# Names of headers, cookies, fields and variables whose values are never sent.
SENSITIVE_NAME = re.compile(
    r"password|passwd|token|secret|authorization|cookie|session|csrf|refresh|access|key|dsn",
    re.IGNORECASE,
)
FILTERED = "[Filtered]"


def init(dsn: str, release: str) -> None:
    try:
        Dsn(dsn)
    except BadDsn as error:
        raise ImproperlyConfigured(f"SENTRY_DSN is not a Sentry DSN: {error}") from None
    sentry_sdk.init(
        dsn=dsn,
        release=release,
        integrations=[DjangoIntegration()],
        # No personal data: send_default_pii (data_collection since sentry-sdk 2.75)
        # is left unset, which is off; setting it is deprecated.
        # A frame's variables and a request's body hold passwords and tokens under
        # any name (a serializer's text shows its input): neither is sent.
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
    )


def before_send(event, hint):
    """After sentry-sdk's own scrubbing, which matches whole names only: ours matches
    parts of names ("new_password") and redacts token-shaped values anywhere."""
    if request_id := current_request_id.get():
        event.setdefault("tags", {})["request_id"] = request_id
    return scrub(event)


def scrub(value, name=""):
    """Drop values under sensitive names; redact tokens and hashes anywhere else."""
    if SENSITIVE_NAME.search(name):
        return FILTERED
    if isinstance(value, dict):
        return {key: scrub(item, str(key)) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item) for item in value]
    if isinstance(value, str):
        return redact(value)
    return value
