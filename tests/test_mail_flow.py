"""Account mail for real: a rendered project served by `runserver`, its worker
(`manage.py db_worker`) running beside it, and an SMTP server on loopback (aiosmtpd)
that receives what the worker sends. Each test follows the mailed link as the
user's frontend would: password reset, email change, sign-up verification."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage

import pytest

from harness.devserver import PASSWORD, DevServer, dev_server
from harness.mail import Inbox, smtp_server, worker
from harness.variants import VARIANTS

# Every user model and backend, and the queue on PostgreSQL.
MAIL_VARIANTS = [
    variant
    for variant in VARIANTS
    if variant.name
    in {
        "default",
        "email-jwt-registration",
        "django-knox-session-mfa",
        "django-authtoken-session-registration",
        "email-jwt-postgresql-py313",
        "email-oauth2-registration-mfa",
    }
]
FRONTEND_URL = "https://app.example.com"
LINK = re.compile(re.escape(FRONTEND_URL) + r"/reset-password/([\w-]+)/([\w-]+)")
VERIFY_LINK = re.compile(re.escape(FRONTEND_URL) + r"/verify-email/([\w-]+)/([\w-]+)")
CHANGE_LINK = re.compile(re.escape(FRONTEND_URL) + r"/confirm-email/([\w-]+)/([\w.:-]+)")
NEW_PASSWORD = "a-new-passphrase-from-the-link"


def call(url: str, data: dict | None = None, token_header: str | None = None):
    """(status, JSON body or None) of a JSON request, without raising on 4xx/5xx."""
    headers = {"Content-Type": "application/json"}
    if token_header:
        headers["Authorization"] = token_header
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
            content = response.read()
            return response.status, json.loads(content) if content else None
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"null")


@dataclass(frozen=True)
class Mailing:
    server: DevServer
    inbox: Inbox

    def text_of(self, message: EmailMessage) -> str:
        return message.get_body(("plain",)).get_content()

    def log_in(self, credentials: dict[str, str]) -> str:
        """The Authorization header of a fresh token."""
        return self.server.token_header(credentials)


@pytest.fixture
def mailing(project, venv, services, tmp_path) -> Iterator[Mailing]:
    """The project served, its worker running, its mail going to a loopback SMTP
    server; the worker must take SIGTERM as a graceful stop (exit 0)."""
    database = services.get("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with smtp_server() as (inbox, port):
        env = {
            **services,
            "DATABASE_URL": database,
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "FRONTEND_URL": FRONTEND_URL,
            "DJANGO_DEFAULT_FROM_EMAIL": "My API <noreply@example.com>",
        }
        with (
            dev_server(project, venv, tmp_path, **env) as server,
            worker(project, venv, tmp_path / "worker.log", **env) as process,
        ):
            yield Mailing(server, inbox)
    assert process.returncode == 0, (tmp_path / "worker.log").read_text()


@pytest.mark.parametrize("variant", MAIL_VARIANTS, ids=str, indirect=True)
def test_a_reset_link_sent_over_smtp_sets_a_new_password(mailing: Mailing):
    url = mailing.server.url
    old_token = mailing.log_in(mailing.server.credentials)
    # An unknown address first: the same answer, and the worker sends nothing for it.
    unknown = call(f"{url}/api/auth/password/reset/", {"email": "nobody@example.com"})
    known = call(f"{url}/api/auth/password/reset/", {"email": "alice@example.com"})
    assert unknown == known
    assert known[0] == 202

    message = mailing.inbox.next()
    assert (message["To"], message["Subject"]) == ("alice@example.com", "Reset your password")
    assert message["From"] == "My API <noreply@example.com>"
    assert LINK.search(message.get_body(("html",)).get_content())
    uid, token = LINK.findall(mailing.text_of(message))[0]
    confirm = {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    status, body = call(f"{url}/api/auth/password/reset/confirm/", confirm)
    assert status == 204, body

    # The link was spent; the old token is revoked; the new password logs in.
    assert call(f"{url}/api/auth/password/reset/confirm/", confirm)[0] == 400
    assert call(f"{url}/api/hello/", token_header=old_token)[0] == 401
    mailing.log_in({**mailing.server.credentials, "password": NEW_PASSWORD})


@pytest.mark.parametrize(
    "variant",
    [variant for variant in MAIL_VARIANTS if variant.answers.get("user_model") != "django"],
    ids=str,
    indirect=True,
)
def test_an_email_change_confirmed_over_smtp(mailing: Mailing):
    """To an internationalized domain: mail for `straße.de` reaches `straße.de`
    (its A-label on the wire), not `strasse.de`, where Django's own IDNA 2003
    encoding sends it (SECURITY 65)."""
    url = mailing.server.url
    token_header = mailing.log_in(mailing.server.credentials)
    change = {"new_email": "alice@Straße.de", "current_password": PASSWORD}
    status, body = call(f"{url}/api/auth/email/", change, token_header)
    assert status == 202, body

    # The link to the new address, a notice to the current one.
    messages = {
        message["Envelope-To"]: message for message in (mailing.inbox.next(), mailing.inbox.next())
    }
    assert set(messages) == {"alice@xn--strae-oqa.de", "alice@example.com"}
    uid, token = CHANGE_LINK.findall(mailing.text_of(messages["alice@xn--strae-oqa.de"]))[0]
    status, body = call(f"{url}/api/auth/email/confirm/", {"uid": uid, "token": token})
    assert status == 204, body

    status, body = call(f"{url}/api/auth/me/", token_header=token_header)
    assert (status, body["email"]) == (200, "alice@straße.de")


@pytest.mark.parametrize(
    "variant",
    [variant for variant in MAIL_VARIANTS if variant.answers.get("registration")],
    ids=str,
    indirect=True,
)
def test_a_sign_up_verified_over_smtp_logs_in(mailing: Mailing):
    url = mailing.server.url
    login_field = next(name for name in mailing.server.credentials if name != "password")
    carol = {login_field: "carol@example.com", "password": "a-passphrase-for-carol"}
    status, body = call(f"{url}/api/auth/register/", {**carol, "email": "carol@example.com"})
    assert status == 201, body
    with pytest.raises(RuntimeError, match="Verify your email address first"):
        mailing.log_in(carol)

    message = mailing.inbox.next()
    assert message["To"] == "carol@example.com"
    uid, token = VERIFY_LINK.findall(mailing.text_of(message))[0]
    link = {"uid": uid, "token": token, "password": carol["password"]}
    status, body = call(f"{url}/api/auth/verify-email/", link)
    assert status == 204, body

    mailing.log_in(carol)
