"""Login throttles. Every attempt counts, whether it succeeds or not."""

import hashlib

from django.contrib.auth import get_user_model
from rest_framework.throttling import SimpleRateThrottle


class LoginClientThrottle(SimpleRateThrottle):
    """Attempts from one client address (REMOTE_ADDR, or X-Forwarded-For as far as
    DJANGO_TRUSTED_PROXIES allows)."""

    scope = "login_client"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginAccountThrottle(SimpleRateThrottle):
    """Attempts at one account, from any address: stops a password guessed from many."""

    scope = "login_account"

    def get_cache_key(self, request, view):
        data = request.data
        login = data.get(get_user_model().USERNAME_FIELD) if hasattr(data, "get") else None
        if not isinstance(login, str) or not login.strip():
            return None  # nothing to count against; the credentials check refuses it
        # Hashed: cache keys stay short, and hold no user names.
        ident = hashlib.sha256(login.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}
