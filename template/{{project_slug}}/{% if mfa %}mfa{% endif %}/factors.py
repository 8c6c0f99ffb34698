"""TOTP (RFC 6238, with pyotp) and recovery codes, on the project's own models, and
what a user's factors are (passkeys are in passkeys.py)."""

import hashlib
import hmac
import secrets
from io import BytesIO

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import RecoveryCode, TOTPDevice
from .passkeys import WEBAUTHN, has_passkey

TOTP = "totp"
RECOVERY_CODE = "recovery_code"

RECOVERY_CODE_COUNT = 10
# Ten characters of Crockford's alphabet (no I, L, O or U): 50 bits.
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
# Codes are read in ±1 time step: one step of clock drift either way (RFC 6238 §5.2).
SKEW = 1


def methods_of(user):
    """The second factors a user can log in with, as the login's answer lists them
    (recovery codes come with the first factor and go with the last)."""
    methods = []
    if active_totp(user) is not None:
        methods.append(TOTP)
    if has_passkey(user):
        methods.append(WEBAUTHN)
    return [*methods, RECOVERY_CODE] if methods else []


def active_totp(user):
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def has_factor(user):
    return bool(methods_of(user))


def pending_totp(user):
    """Whether a secret waits for the code that confirms it."""
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=True).exists()


def totp_of(device):
    return pyotp.TOTP(device.secret)


def provisioning_uri(device):
    """The otpauth:// URI an authenticator app scans."""
    return totp_of(device).provisioning_uri(
        name=device.user.get_username(), issuer_name=settings.MFA_ISSUER
    )


def qr_code_svg(uri):
    """The URI as a QR code, an SVG document drawn here (no outside service sees the secret)."""
    out = BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True)
    return out.getvalue().decode()


def start_totp(user):
    """A new secret for the user, waiting for a code to confirm it (a secret never
    confirmed is replaced), or None when an authenticator is already active."""
    secret = pyotp.random_base32()
    device, created = TOTPDevice.objects.get_or_create(user=user, defaults={"secret": secret})
    if created:
        return device
    replaced = TOTPDevice.objects.filter(pk=device.pk, confirmed_at__isnull=True).update(
        secret=secret, last_step=0, created_at=timezone.now()
    )
    if not replaced:
        return None
    device.secret, device.last_step = secret, 0
    return device


def matching_step(device, code, now=None):
    """The time step whose code this is, within the allowed skew, or None."""
    code = (code or "").strip().replace(" ", "")
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp = totp_of(device)
    current = totp.timecode(now or timezone.now())
    for step in range(current - SKEW, current + SKEW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_totp(device, code):
    """Whether the code is good; a good code is used up, and so is every older one.
    The update is conditional on the last step: of two requests with one code at
    the same instant, one wins."""
    step = matching_step(device, code)
    if step is None:
        return False
    used = TOTPDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
    return used == 1


def confirm_totp(user, code):
    """Turn a pending secret on with a code from it: the new recovery codes, or None
    (no pending secret, a wrong code, or a confirmation that lost a race)."""
    device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None or not use_totp(device, code):
        return None
    with transaction.atomic():
        confirmed = TOTPDevice.objects.filter(pk=device.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        if not confirmed:
            return None
        return new_recovery_codes(user)


def disable_totp(user):
    """The authenticator app goes; the recovery codes too, unless a passkey stays."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        if not has_passkey(user):
            RecoveryCode.objects.filter(user=user).delete()


def remove_passkey(passkey):
    """A passkey goes; the recovery codes too, if it was the user's last factor."""
    with transaction.atomic():
        passkey.delete()
        if not has_factor(passkey.user):
            RecoveryCode.objects.filter(user=passkey.user).delete()


def first_factor_codes(user):
    """Recovery codes for a user whose first factor this is (shown once), else None."""
    if RecoveryCode.objects.filter(user=user).exists():
        return None
    return new_recovery_codes(user)


def recovery_digest(code):
    """Codes are compared without case, spaces or dashes, as people type them."""
    normal = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(normal.encode("utf-8", "backslashreplace")).hexdigest()


def new_recovery_codes(user):
    """A fresh set of recovery codes, replacing the old: shown once, stored as digests."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, digest=recovery_digest(code)) for code in codes
        )
    return codes


def recovery_codes_left(user):
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def use_recovery_code(user, code):
    """Whether the code is one of the user's unused ones; used up if so (a
    conditional update: one use, even at the same instant)."""
    if not code or len(code) > 64:
        return False
    used = RecoveryCode.objects.filter(
        user=user, digest=recovery_digest(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return used == 1


def use_factor(user, code):
    """A current TOTP code or an unused recovery code of the user: used up if good."""
    if not isinstance(code, str) or not has_factor(user):
        return False
    device = active_totp(user)
    if device is not None and use_totp(device, code):
        return True
    return use_recovery_code(user, code)
