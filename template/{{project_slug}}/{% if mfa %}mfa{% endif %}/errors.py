"""Errors of the second step: DRF's `{"detail": ...}` with a stable `code` beside it,
so a client can tell a wrong code from a login that has to start again."""

from rest_framework import status
from rest_framework.exceptions import APIException

CODE_INVALID = "mfa_code_invalid"
CODE_REQUIRED = "mfa_code_required"
LOGIN_INVALID = "mfa_token_invalid"
TOTP_ACTIVE = "mfa_totp_active"
TOTP_NOT_PENDING = "mfa_totp_not_pending"
TOTP_NOT_ACTIVE = "mfa_totp_not_active"
PASSKEY_INVALID = "mfa_passkey_invalid"
PASSKEY_LIMIT = "mfa_passkey_limit"

MESSAGES = {
    CODE_INVALID: "The code is wrong, already used or expired.",
    CODE_REQUIRED: (
        "This account has a second factor: send a current code as `code`, "
        "or a passkey's answer as `assertion`."
    ),
    LOGIN_INVALID: "This login has expired or is no longer valid: log in again.",
    TOTP_ACTIVE: "An authenticator app is already set up; turn it off first.",
    TOTP_NOT_PENDING: "There is no authenticator app waiting to be confirmed: start again.",
    TOTP_NOT_ACTIVE: "No authenticator app is set up.",
    PASSKEY_INVALID: (
        "The passkey's answer could not be verified (another challenge, site or "
        "account, used already, or not well formed): ask for new options and try again."
    ),
    PASSKEY_LIMIT: "This account has as many passkeys as it may: delete one first.",
}


class MfaError(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, code):
        super().__init__({"detail": MESSAGES[code], "code": code}, code)
