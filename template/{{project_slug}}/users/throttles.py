"""Throttles of the account endpoints that send mail or take an emailed link's
token: per client address and per account, as the login's are."""

from rest_framework.throttling import SimpleRateThrottle

from ..tokens.throttles import LoginClientThrottle, account_key


class MailClientThrottle(LoginClientThrottle):
    """Mail requests from one client address."""

    scope = "mail_client"


class MailAccountThrottle(SimpleRateThrottle):
    """Mail requests naming one account, from any address: nobody can flood an inbox.

    Counted whether or not the account exists, so the limit reveals nothing.
    """

    scope = "mail_account"
    fields: tuple[str, ...] = ("email", "username")

    def get_cache_key(self, request, view):
        for field in self.fields:
            if (account := account_key(request.data, field)) is not None:
                return self.cache_format % {"scope": self.scope, "ident": account}
        return None  # names no account; the serializer refuses it


class LinkClientThrottle(LoginClientThrottle):
    """Posts of an emailed link's token from one client address."""

    scope = "link_client"


class LinkAccountThrottle(MailAccountThrottle):
    """Posts of an emailed link's token for one account (its uid), from any address."""

    scope = "link_account"
    fields = ("uid",)
