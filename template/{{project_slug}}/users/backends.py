"""The project's authentication backend: Django's, refusing an over-long password
before hashing it."""

from django.contrib.auth.backends import ModelBackend

# Longer passwords are refused at every entry before any hash: Argon2 over
# megabytes at each login would let anyone spend the server's CPU. Far above what
# any password manager generates (OWASP asks for at least 64).
MAX_PASSWORD_LENGTH = 4096


class PasswordBackend(ModelBackend):
    """Every login (the API's, the admin's, a login page) authenticates here: an
    over-long password is wrong credentials, answered before any hash, whether
    or not the account exists (Django's backend hashes the password of an
    unknown account too, to take the same time)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and len(password) > MAX_PASSWORD_LENGTH:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
