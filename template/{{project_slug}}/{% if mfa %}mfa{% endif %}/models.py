"""Second factors, and the logins waiting for one.

A user's factors are rows of their own kind (an authenticator app, passkeys), so a
method is added without touching the others; `factors.methods_of` lists them.
"""

from django.conf import settings
from django.db import models


class TOTPDevice(models.Model):
    """An authenticator app's shared secret. Active once a code has confirmed it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    # Base32, as authenticator apps take it (RFC 4226's 160 bits).
    secret = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The time step of the last code accepted: a code is good once, and never
    # one older than the last (RFC 6238 §5.2).
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "TOTP device"

    def __str__(self):
        state = "active" if self.confirmed_at else "pending"
        return f"TOTP of {self.user} ({state})"


class RecoveryCode(models.Model):
    """A one-time code for when the authenticator is lost: stored as a digest only
    (the codes are random, 50 bits each, so a plain SHA-256 cannot be reversed by
    guessing, as with knox's token digests)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Recovery code of {self.user}"


class LoginChallenge(models.Model):
    """A login whose password was right, waiting for its second step. The client
    holds the token; only its digest is stored. One use, a few minutes, a few
    tries, and void once the password changes."""

    class Flow(models.TextChoices):
        # What the second step answers: the API login's body, the browser login's
        # cookies, or a Django session (the admin's, the login page's).
        TOKEN = "token", "API login"
        BROWSER = "browser", "Browser login"
        SESSION = "session", "Session login"

    digest = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    flow = models.CharField(max_length=16, choices=Flow.choices)
    password_fingerprint = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)
    failures = models.PositiveSmallIntegerField(default=0)
    # For a user with passkeys: the WebAuthn challenge a passkey signs for this login.
    webauthn_challenge = models.CharField(max_length=128, blank=True)

    def __str__(self):
        return f"Second step of {self.user}'s login"


class Passkey(models.Model):
    """A WebAuthn credential: a key pair kept by the user's authenticator (a phone, a
    security key, a password manager), whose public key signs in here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys"
    )
    name = models.CharField(max_length=64)
    # base64url, as browsers give it (a credential ID is at most 1,023 bytes).
    credential_id = models.CharField(max_length=1366, unique=True)
    public_key = models.BinaryField()
    # The authenticator's signature counter: a nonzero count going back means a clone.
    sign_count = models.PositiveBigIntegerField(default=0)
    # The user handle the authenticator keeps with the key (random, not the user's id).
    user_handle = models.BinaryField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Passkey {self.name!r} of {self.user}"


class WebAuthnChallenge(models.Model):
    """A challenge handed to a browser for a passkey to sign, outside a login's
    second step: registering a passkey (bound to its user), or a passwordless login
    or fresh proof (bound to no one: the passkey names its user). One use, a few
    minutes."""

    class Purpose(models.TextChoices):
        REGISTRATION = "registration", "Registration"
        ASSERTION = "assertion", "Assertion"

    challenge = models.CharField(max_length=128, unique=True)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"WebAuthn {self.purpose} challenge"
