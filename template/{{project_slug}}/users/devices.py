"""Known devices: a client that has logged in to an account is not locked out of it
by failures from others (OWASP's "device cookie" scheme).

The per-account login limit stops a password guessed from many addresses, but
anyone can spend it: a few addresses failing on purpose would keep the owner
out. So a successful login leaves a signed cookie naming the account; the next
attempts from that client at that account count against a limit of their own,
which no one else can spend. Clients without the cookie (or with one for
another account) share the account's limit as before.
"""

import secrets

from django.conf import settings
from django.core import signing

COOKIE = "login_device"
# Named for the module's first home: a new salt would forget every known device.
SALT = "tokens.devices"
MAX_AGE = 60 * 60 * 24 * 365


def known_device(request, account):
    """The device id of the request's cookie if it was issued for `account`, else None."""
    cookie = request.COOKIES.get(COOKIE)
    if not cookie:
        return None
    try:
        device, named = signing.loads(cookie, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return device if secrets.compare_digest(str(named), account) else None


def remember_device(response, account, path="/api/auth/"):
    """Give the client a cookie that makes it a known device of `account`, sent back
    to the login under `path` only."""
    value = signing.dumps([secrets.token_urlsafe(16), account], salt=SALT)
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
