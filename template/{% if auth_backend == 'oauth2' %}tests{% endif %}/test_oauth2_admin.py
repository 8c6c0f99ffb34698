"""The admin refuses lookups on every secret column of django-oauth-toolkit's models
(tests/test_token_admin.py covers access tokens), and never shows a client secret."""

import pytest

from .backend import public_client

CHANGELISTS = {
    "/admin/oauth2_provider/application/": ("client_secret",),
    "/admin/oauth2_provider/refreshtoken/": ("token", "token_checksum"),
    "/admin/oauth2_provider/grant/": ("code", "code_challenge"),
}


@pytest.mark.parametrize(("url", "secrets"), CHANGELISTS.items(), ids=list(CHANGELISTS))
def test_secret_columns_are_never_a_lookup(admin_client, url, secrets):
    assert admin_client.get(url).status_code == 200
    for field in secrets:
        for lookup in ("", "__startswith", "__contains"):
            assert admin_client.get(url, {f"{field}{lookup}": "0"}).status_code == 400, field


def test_a_client_secret_is_never_shown(admin_client, db):
    client = public_client(name="Confidential")
    client.client_type = client.CLIENT_CONFIDENTIAL
    client.client_secret = "a-secret-nobody-may-read-in-the-admin-0123456789"
    client.save()

    page = admin_client.get(f"/admin/oauth2_provider/application/{client.pk}/change/")

    assert page.status_code == 200
    assert "a-secret-nobody-may-read-in-the-admin" not in page.content.decode()
