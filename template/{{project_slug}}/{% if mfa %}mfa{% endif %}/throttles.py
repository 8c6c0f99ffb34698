"""Limits on second-factor codes, beside the login's: per client address, and per
account from anywhere (a known device, one that completed a login to the account
before, has a limit of its own, so guessing elsewhere cannot lock the owner out)."""

from rest_framework.throttling import SimpleRateThrottle

from ..users.devices import known_device
from ..users.login_throttles import identifier_key, refused_by


class CodeClientThrottle(SimpleRateThrottle):
    scope = "mfa_client"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class CodeAccountThrottle(SimpleRateThrottle):
    scope = "mfa_account"

    def account_of(self, request, view):
        """The user whose code is tried: the caller, unless the view says otherwise
        (`code_account`: the second step's is the login's user)."""
        code_account = getattr(view, "code_account", None)
        return code_account(request) if code_account else request.user

    def get_cache_key(self, request, view):
        user = self.account_of(request, view)
        if user is None:
            return None  # no account to count against; the view refuses the request
        account = identifier_key(user.get_username())
        device = known_device(request, account)
        ident = f"device-{device}" if device else account
        return self.cache_format % {"scope": self.scope, "ident": ident}


class FormCodeAccountThrottle(CodeAccountThrottle):
    """The account limit for a Django view's form, the user given."""

    def __init__(self, user):
        super().__init__()
        self.user = user

    def account_of(self, request, view):
        return self.user


def throttled_code(request, user):
    """For a code posted to a Django view (the admin's second step, the login
    page's): a 429 if either limit is spent, else None."""
    throttles = (CodeClientThrottle(), FormCodeAccountThrottle(user))
    return refused_by(request, throttles, "Too many codes tried.")
