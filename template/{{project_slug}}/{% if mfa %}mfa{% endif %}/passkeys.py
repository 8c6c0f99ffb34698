"""Passkeys (WebAuthn), checked by py_webauthn: registration, and the assertions that
log in (passwordless, or as a second factor) or prove a sensitive change.

py_webauthn checks the signature, the origin, the RP ID, the challenge it is given
and the sign count; what it leaves to the server is kept here: challenges issued,
bound and used up once (their delete is the gate), and the stored count moved
forward by a conditional update, so two uses of one count cannot both pass.
"""

import json
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticationCredential,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from .models import Passkey, WebAuthnChallenge

WEBAUTHN = "webauthn"
# Passkeys one account may hold: enough for every device, not a table to fill.
MAX_PASSKEYS = 20
# What py_webauthn and the parsing around it raise for an answer that is not a
# well-formed one (it decodes base64url, CBOR and JSON from the client; JSON nested
# thousands deep inside clientDataJSON is a RecursionError).
MALFORMED = (
    WebAuthnException,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    OverflowError,
    RecursionError,
)


def new_challenge():
    return secrets.token_bytes(32)


def timeout_ms():
    return settings.MFA_LOGIN_TIMEOUT * 1000


def expiry():
    return timezone.now() + timedelta(seconds=settings.MFA_LOGIN_TIMEOUT)


def has_passkey(user):
    return Passkey.objects.filter(user=user).exists()


def descriptors(user):
    return [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(credential_id))
        for credential_id in Passkey.objects.filter(user=user).values_list(
            "credential_id", flat=True
        )
    ]


def issue(purpose, user=None):
    """A challenge for the browser, stored until it is used or expires."""
    WebAuthnChallenge.objects.filter(expires_at__lte=timezone.now()).delete()
    challenge = new_challenge()
    WebAuthnChallenge.objects.create(
        challenge=bytes_to_base64url(challenge), purpose=purpose, user=user, expires_at=expiry()
    )
    return challenge


def take(challenge, purpose, user=None):
    """Use up a challenge issued for this purpose (and for this user, if it was
    bound to one): True for the one request whose delete removed it."""
    if not challenge:
        return False
    rows = WebAuthnChallenge.objects.filter(
        challenge=bytes_to_base64url(challenge), purpose=purpose, expires_at__gt=timezone.now()
    )
    rows = rows.filter(user=user) if user is not None else rows.filter(user__isnull=True)
    deleted, _ = rows.delete()
    return deleted == 1


def user_handle(user):
    """The handle an authenticator keeps with the user's keys: the same for all of
    them, and nothing that names the user (WebAuthn §14.6.1)."""
    stored = Passkey.objects.filter(user=user).values_list("user_handle", flat=True).first()
    if stored:
        return bytes(stored)
    return salted_hmac("mfa.webauthn.user-handle", str(user.pk), algorithm="sha256").digest()


def registration_options(user):
    """What `navigator.credentials.create()` takes (as JSON), for a new passkey of the
    user: a discoverable credential, attestation "none", none of their keys again."""
    options = generate_registration_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        rp_name=settings.MFA_ISSUER,
        user_id=user_handle(user),
        user_name=user.get_username(),
        challenge=issue(WebAuthnChallenge.Purpose.REGISTRATION, user),
        timeout=timeout_ms(),
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=descriptors(user),
    )
    return json.loads(options_to_json(options))


def register(user, credential, name):
    """The new passkey from `navigator.credentials.create()`'s answer, or None: not
    well formed, not for a challenge issued to this user (or already used), or
    failing py_webauthn's checks. Raises IntegrityError for a key already known."""
    try:
        parsed = parse_registration_credential_json(credential)
        client_data = parse_client_data_json(parsed.response.client_data_json)
    except MALFORMED:
        return None
    if not take(client_data.challenge, WebAuthnChallenge.Purpose.REGISTRATION, user):
        return None
    try:
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=client_data.challenge,
            expected_rp_id=settings.WEBAUTHN_RP_ID,
            expected_origin=settings.WEBAUTHN_ORIGINS,
        )
    except MALFORMED:
        return None
    return Passkey.objects.create(
        user=user,
        name=name,
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        user_handle=user_handle(user),
    )


def request_options(challenge, user=None, user_verification=UserVerificationRequirement.REQUIRED):
    """What `navigator.credentials.get()` takes (as JSON): the user's passkeys, or
    none listed for a passwordless login (the browser offers the site's passkeys)."""
    options = generate_authentication_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        challenge=challenge,
        timeout=timeout_ms(),
        allow_credentials=descriptors(user) if user is not None else [],
        user_verification=user_verification,
    )
    return json.loads(options_to_json(options))


def login_options():
    """Options for an assertion of any passkey: a passwordless login, or a fresh proof."""
    return request_options(issue(WebAuthnChallenge.Purpose.ASSERTION))


def parse_assertion(credential):
    """The parsed answer of `navigator.credentials.get()` and the challenge it
    signed, or (None, None) for one that is not well formed."""
    try:
        parsed = parse_authentication_credential_json(credential)
        return parsed, parse_client_data_json(parsed.response.client_data_json).challenge
    except MALFORMED:
        return None, None


def check_assertion(parsed: AuthenticationCredential, challenge, *, user=None, verify_user=False):
    """The passkey that signed this challenge (of the user, when given), its count
    moved forward; None when any check fails."""
    passkey = (
        Passkey.objects.select_related("user")
        .filter(credential_id=bytes_to_base64url(parsed.raw_id))
        .first()
    )
    if passkey is None or not passkey.user.is_active:
        return None
    if user is not None and passkey.user_id != user.pk:
        return None
    handle = parsed.response.user_handle
    if handle is not None and not constant_time_compare(handle, bytes(passkey.user_handle)):
        return None
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=settings.WEBAUTHN_RP_ID,
            expected_origin=settings.WEBAUTHN_ORIGINS,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=verify_user,
        )
    except MALFORMED:
        return None
    # A synced passkey always counts 0; any other count only moves forward, once.
    count = verified.new_sign_count
    rows = Passkey.objects.filter(pk=passkey.pk)
    rows = rows.filter(sign_count__lt=count) if count else rows.filter(sign_count=0)
    if not rows.update(sign_count=count, last_used_at=timezone.now()):
        return None
    return passkey


def use_assertion(credential, *, user=None, verify_user=False):
    """A passkey's answer to a challenge of `login_options` (used up here): the
    passkey, or None. `user` for a fresh proof (the passkey must be theirs);
    `verify_user` for a passwordless login (the authenticator checked a PIN or a
    biometric, so the passkey alone is two factors)."""
    parsed, challenge = parse_assertion(credential)
    if parsed is None or not take(challenge, WebAuthnChallenge.Purpose.ASSERTION):
        return None
    return check_assertion(parsed, challenge, user=user, verify_user=verify_user)


def second_step_challenge():
    return bytes_to_base64url(new_challenge())


def second_step_options(login):
    """The options of a login's second step: the user's passkeys, the login's challenge."""
    return request_options(
        base64url_to_bytes(login.webauthn_challenge),
        login.user,
        UserVerificationRequirement.DISCOURAGED,
    )


def use_second_step_assertion(login, credential):
    """Whether a passkey of the login's user signed the login's own challenge."""
    parsed, challenge = parse_assertion(credential)
    if parsed is None or not login.webauthn_challenge:
        return False
    if not constant_time_compare(bytes_to_base64url(challenge), login.webauthn_challenge):
        return False
    return check_assertion(parsed, challenge, user=login.user) is not None


def add_passkey(user, credential, name):
    """Register, with a key registered twice (the unique credential ID) as None too."""
    try:
        with transaction.atomic():
            return register(user, credential, name)
    except IntegrityError:
        return None
