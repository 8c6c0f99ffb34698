"""The security guarantees, by their stable ids (`SEC-<n>` in a generated docs/security.md).

An id is the guarantee's item number in the team's security list; it never changes
and is never reused, so a bug report or a changelog can cite it across template
versions. Each guarantee is proven where `PROVEN_BY` says: by the generated
suites (and listed in each render's docs/security.md that has the feature), by the
template's own tests (fuzzing, load, servers, containers), or not yet (planned).
"""

from __future__ import annotations

GUARANTEES: dict[int, str] = {
    1: "No Authorization header: 401 naming the scheme",
    2: "A malformed Authorization header: 401 JSON, never 500",
    3: "The wrong scheme: 401",
    4: "An unknown key: 401",
    5: "A token in the query string is ignored",
    6: "A deactivated user's token: 401",
    7: "An expired token: 401",
    8: "JWT: alg none, tampered signatures, refresh-as-access: 401",
    9: "A login is never cached and never echoes the password",
    10: "Unknown user, wrong password, inactive user look the same",
    11: "Logout revokes the token used",
    12: "Logout-all revokes every token of the user",
    13: "A password change needs the current one and revokes every token",
    14: "Each login issues new tokens (or the shared token's limits are stated)",
    15: "Token entropy of at least 128 bits",
    16: "Only a digest of the token is stored",
    17: "The admin never shows a token in clear",
    18: "Logs never hold a token or a password",
    19: "Logins are throttled per client and per account",
    20: "X-Forwarded-For cannot dodge the login throttle",
    21: "Production's throttle cache is shared",
    22: "Oversized bodies: 400 or 413, never 500",
    23: "check --deploy passes under production settings",
    24: "Production refuses weak or missing secret keys",
    25: "CORS is closed by default",
    26: "Session-authenticated unsafe methods need a CSRF token",
    27: "Errors are JSON without tracebacks; a database outage is 503",
    28: "Schemathesis over the schema finds no 5xx and no schema violation",
    29: "Concurrent load: no 5xx, no mixed-up users",
    30: "Two app servers share tokens and revocations",
    31: "Sign-up is throttled and applies the password validators",
    32: "Email addresses are case-insensitive",
    33: "Password change is throttled and refuses a wrong current password",
    34: "Every error body has one shape",
    35: "Responses carrying a token are never cached",
    36: "The admin refuses lookups on secret columns",
    37: "The admin login is throttled like the API login",
    38: "Throttles count the identifier the serializer uses",
    39: "An owner cannot be locked out cheaply",
    40: "Bodies that stress the parser: 400",
    41: "Identifiers are normalized once, at every entry",
    42: "Redaction removes whole secret values from every log",
    43: "Production refuses every key published in the project's files",
    44: "Auth endpoints take JSON and forms only, within the size limit",
    45: "Every /api/ path answers JSON, 404 and 405 alike",
    46: "A reset request reveals nothing about the account",
    47: "Reset and verification tokens are single-use and expire",
    48: "A reset revokes every token and session",
    49: "Emailed links are built from FRONTEND_URL only",
    50: "An unverified account gets no token",
    51: "PATCH /api/auth/me/ changes profile fields only",
    52: "An email change needs the new address's link",
    53: "Every response carries X-Request-ID",
    54: "Error reports carry no credentials",
    55: "The image runs unprivileged and holds no secrets, git or tests",
    56: "OAuth2: PKCE S256 required; codes single-use and bound",
    57: "OAuth2: refresh tokens rotate; reuse revokes the family",
    58: "OAuth2: errors follow RFC 6749/6750",
    59: "OAuth2: a grant is exchanged once",
    60: "OAuth2: introspection and refresh refuse what the API refuses",
    61: "OAuth2: PKCE lengths as RFC 7636 requires",
    62: "OAuth2: the device page is throttled; a user code is one person's",
    63: "One use means one use under concurrency",
    64: "Revoking everything ends the user's sessions too",
    65: "Addresses keep their identity (domains in IDNA form)",
    66: "Limits keyed by an identifier count the account, not its spelling",
    67: "A pending sign-up cannot be claimed by whoever registered first",
    68: "Personal data is never cached",
    69: "SQLite serves concurrent writers without 'database is locked'",
    70: "Browser clients: no token readable by JavaScript",
    71: "A second factor cannot be skipped",
    72: "Passkeys verify origin, RP ID, challenge, signature and sign count",
}

TEMPLATE_TESTS = {
    28: "tests/test_fuzz.py",
    29: "tests/test_services.py",
    30: "tests/test_services.py",
    55: "tests/test_containers.py",
}
PLANNED: set[int] = set()
RENDERED = set(GUARANTEES) - set(TEMPLATE_TESTS) - PLANNED
