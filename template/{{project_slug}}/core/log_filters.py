"""Keep secrets out of logs.

Django logs every SQL query with its parameters when SQL logging is on, and
token lookups and inserts pass tokens as parameters. No maintained library
scrubs Django's log records, hence this filter.
"""

import logging
import re

SECRETS = re.compile(
    r"""
    \beyJ[\w-]+\.[\w-]+\.[\w-]*                      # JSON Web Tokens
    | \b[0-9a-f]{32,}\b                              # hex tokens, keys and digests
    # Password hashes, whole: Argon2's parameters hold commas (m=102400,t=2,p=8).
    | \b(?:argon2|pbkdf2_sha\d+|scrypt|bcrypt\w*|md5)\$[\w$=,+/.-]+
    """,
    re.VERBOSE,
)
# Secrets a client may put in a query string, as access logs print it.
QUERY_SECRETS = re.compile(
    r"([?&](?:access_token|refresh_token|token|refresh|key|password|secret|code)=)[^&\s\"']*",
    re.IGNORECASE,
)
REDACTED = "[redacted]"


def redact(text):
    return QUERY_SECRETS.sub(rf"\1{REDACTED}", SECRETS.sub(REDACTED, text))


class RedactSecrets(logging.Filter):
    """Replace tokens and password hashes in a record's message and SQL with [redacted]."""

    def filter(self, record):
        message = record.getMessage()
        if (clean := redact(message)) != message:
            record.msg, record.args = clean, ()
        for name in ("sql", "params"):
            if hasattr(record, name):
                setattr(record, name, redact(str(getattr(record, name))))
        return True
