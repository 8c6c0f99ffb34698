"""Throttles of the account endpoints that send mail or take an emailed link's
token.

Mail requests (a reset, a new verification link) are limited per account in
two ways, so that nobody can flood an inbox and nobody can spend the owner's
own requests: `mail_account` (5 an hour) counts one account's requests from
one client address, and `mail_inbox` (30 an hour) counts them from every
address together, except those of a client that logged in to the account
before (a known device, devices.py, whose cookie reaches these views
where the login is under /api/auth/). To keep an owner without a known device
from asking for a reset, others must send 30 requests an hour from at least 6
addresses; an owner with one is never blocked by others.

Links carry a token of 128 bits (an HMAC): they are limited per client address
only. A limit per account would protect nothing that guessing could reach, and
anyone could spend it to make the owner's own link answer 429.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from rest_framework.throttling import SimpleRateThrottle

from .addresses import normalize_email
from .devices import known_device
from .login_throttles import LoginClientThrottle, identifier_key


class MailClientThrottle(LoginClientThrottle):
    """Mail requests from one client address."""

    scope = "mail_client"


def account_of(data):
    """The account a mail request names, whichever of its identifiers (email,
    username) names it: the user, or None with a key of the identifier (counted
    all the same, so the limit tells nothing about which accounts exist). One
    indexed query either way. (None, None) when the request names nothing the
    serializer would take."""
    model = get_user_model()
    for field in ("email", "username"):
        value = data.get(field) if hasattr(data, "get") else None
        if not isinstance(value, str) or not value.strip():
            continue
        if "\x00" in value:  # no column holds it (PostgreSQL refuses the query)
            return None, None
        try:
            model._meta.get_field(field)
        except FieldDoesNotExist:
            continue
        value = normalize_email(value) if field == "email" else model.normalize_username(value)
        users = model._default_manager.filter(**{f"{field}__iexact": value})
        user = users.order_by("pk").first()
        return user, identifier_key(value)
    return None, None


class MailAccountThrottle(SimpleRateThrottle):
    """Mail requests for one account from one client address: another address's
    requests never spend these."""

    scope = "mail_account"

    def get_cache_key(self, request, view):
        user, identifier = account_of(request.data)
        if identifier is None:
            return None  # names no account; the serializer refuses it
        account = f"user-{user.pk}" if user else identifier
        ident = f"{account}-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class MailInboxThrottle(SimpleRateThrottle):
    """Mail requests for one account from every address together: nobody can flood
    an inbox. A known device of the account is not counted here: others cannot
    keep its owner from a reset."""

    scope = "mail_inbox"

    def get_cache_key(self, request, view):
        user, identifier = account_of(request.data)
        if identifier is None:
            return None
        if user is None:
            return self.cache_format % {"scope": self.scope, "ident": identifier}
        if known_device(request, identifier_key(user.get_username())):
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"user-{user.pk}"}


class LinkClientThrottle(LoginClientThrottle):
    """Posts of an emailed link's token from one client address."""

    scope = "link_client"
