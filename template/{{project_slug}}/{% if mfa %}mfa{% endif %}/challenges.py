"""The second step of a login: the password step leaves a challenge, and only a
good code or a passkey's signature against it logs the user in."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .factors import methods_of, use_factor
from .models import LoginChallenge
from .passkeys import (
    WEBAUTHN,
    second_step_challenge,
    second_step_options,
    use_second_step_assertion,
)

# Wrong codes one login may take before it has to start again.
MAX_FAILURES = 5


def digest(token):
    return hashlib.sha256(token.encode("utf-8", "backslashreplace")).hexdigest()


def password_fingerprint(user):
    """Changes with the password: a challenge dies with a password change."""
    return salted_hmac("mfa.challenge", user.password, algorithm="sha256").hexdigest()


def second_step(user, flow):
    """The answer of a login's password step for a user with a second factor (and
    the challenge behind it), or None for a user without one."""
    methods = methods_of(user)
    if not methods:
        return None
    LoginChallenge.objects.filter(expires_at__lte=timezone.now()).delete()
    token = secrets.token_urlsafe(32)
    challenge = LoginChallenge.objects.create(
        digest=digest(token),
        user=user,
        flow=flow,
        password_fingerprint=password_fingerprint(user),
        expires_at=timezone.now() + timedelta(seconds=settings.MFA_LOGIN_TIMEOUT),
        webauthn_challenge=second_step_challenge() if WEBAUTHN in methods else "",
    )
    answer = {"mfa_required": True, "mfa_token": token, "methods": methods}
    if challenge.webauthn_challenge:
        answer["webauthn"] = second_step_options(challenge)
    return answer


def open_challenge(token, flow):
    """The live challenge of this token for this kind of login, or None: unknown,
    expired, of another flow, or of a password that has changed since."""
    if not isinstance(token, str) or len(token) > 128:
        return None
    challenge = (
        LoginChallenge.objects.select_related("user")
        .filter(digest=digest(token), flow=flow, expires_at__gt=timezone.now())
        .first()
    )
    if challenge is None or not challenge.user.is_active:
        return None
    if not constant_time_compare(
        challenge.password_fingerprint, password_fingerprint(challenge.user)
    ):
        return None
    return challenge


def complete(challenge, code=None, assertion=None):
    """The challenge's user if the code (or the passkey's assertion) is good and this
    request is the one that completes the challenge (its delete is the gate: one
    login per challenge, even at the same instant), else None. A wrong code counts
    against the challenge."""
    if assertion is not None:
        good = use_second_step_assertion(challenge, assertion)
    else:
        good = use_factor(challenge.user, code)
    if not good:
        LoginChallenge.objects.filter(pk=challenge.pk).update(failures=F("failures") + 1)
        LoginChallenge.objects.filter(pk=challenge.pk, failures__gte=MAX_FAILURES).delete()
        return None
    deleted, _ = LoginChallenge.objects.filter(pk=challenge.pk).delete()
    return challenge.user if deleted else None
