"""`manage.py createclient`: clients made without the admin, refused with a reason."""

from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from oauth2_provider.models import get_application_model

Application = get_application_model()


def create(*arguments):
    out = StringIO()
    call_command("createclient", *arguments, stdout=out, stderr=StringIO())
    return dict(line.split(": ", 1) for line in out.getvalue().splitlines())


def test_a_public_client_gets_an_id_and_no_secret(db):
    printed = create("My app", "--public", "--redirect-uri", "http://127.0.0.1:8765/callback")

    client = Application.objects.get(client_id=printed["client_id"])
    assert "client_secret" not in printed
    assert client.client_type == Application.CLIENT_PUBLIC
    assert client.authorization_grant_type == Application.GRANT_AUTHORIZATION_CODE
    assert client.redirect_uris == "http://127.0.0.1:8765/callback"


def test_a_confidential_client_sees_its_secret_once_stored_hashed(db):
    printed = create("Nightly report", "--grant", "client-credentials")

    client = Application.objects.get(client_id=printed["client_id"])
    assert printed["client_secret"] not in client.client_secret
    assert check_password(printed["client_secret"], client.client_secret)


def test_a_device_client(db):
    printed = create("My CLI", "--grant", "device-code", "--public")

    client = Application.objects.get(client_id=printed["client_id"])
    assert client.authorization_grant_type == Application.GRANT_DEVICE_CODE


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["App"], "needs at least one --redirect-uri"),
        (["App", "--redirect-uri", "http://app.example.com/cb"], "http is only for a loopback"),
        (["App", "--redirect-uri", "ftp://app.example.com/cb"], "redirect"),
        (["App", "--grant", "client-credentials", "--public"], "must be confidential"),
        (["App", "--grant", "device-code", "--redirect-uri", "https://a.example"], "no redirect"),
        (["App", "--redirect-uri", "https://*.example.com/cb"], "redirect"),
    ],
    ids=["no-redirect", "http", "ftp", "public-machine", "device-redirect", "wildcard"],
)
def test_a_bad_client_is_refused_with_the_reason_and_nothing_saved(db, arguments, message):
    with pytest.raises(CommandError, match=message):
        create(*arguments)

    assert not Application.objects.exists()


@pytest.mark.parametrize("grant", ["password", "implicit"])
def test_the_grants_this_server_refuses_cannot_be_chosen(db, grant):
    with pytest.raises(CommandError):
        create("App", "--grant", grant)
