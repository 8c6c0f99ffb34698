"""The admin never shows a token in clear, nor lets staff find one by its value."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType


@pytest.fixture
def viewer(django_user_model, db):
    """A staff user who may only view the token list."""
    return django_user_model.objects.create_user(
        **{django_user_model.USERNAME_FIELD: "viewer@example.com"},
        password="a-viewer-password",
        is_staff=True,
    )


def token_model(url):
    """The model of an admin changelist URL: /admin/<app_label>/<model_name>/."""
    app_label, model_name = url.strip("/").split("/")[1:3]
    return apps.get_model(app_label, model_name)


def test_token_list_and_detail_never_show_the_token(client, admin_user, backend, login, user):
    client.force_login(admin_user)

    for url in (backend.admin_tokens_url, backend.admin_token_url(user)):
        page = client.get(url)
        assert page.status_code == 200, url
        for secret in backend.secrets_of(login):
            assert secret not in page.content.decode(), url


def test_staff_cannot_look_tokens_up_by_their_secret(client, backend, login, viewer):
    """Django's changelist takes lookups from the query string; the number of rows
    listed would tell a view-only user, one character at a time, whether a guess
    matched. Refused with 400, as Django's UserAdmin refuses `password` lookups."""
    model = token_model(backend.admin_tokens_url)
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    viewer.user_permissions.add(
        Permission.objects.get(content_type=content_type, codename=f"view_{model._meta.model_name}")
    )
    client.force_login(viewer)
    assert client.get(backend.admin_tokens_url).status_code == 200

    for field in backend.admin_secret_fields:
        for lookup in ("", "__gte", "__startswith", "__contains", "__in"):
            response = client.get(backend.admin_tokens_url, {f"{field}{lookup}": "0"})
            assert response.status_code == 400, f"{field}{lookup}"
    # Nor is a secret searched: a prefix of the user's own token finds nothing.
    for secret in backend.secrets_of(login):
        listed = client.get(backend.admin_tokens_url, {"q": secret[:8]})
        assert listed.status_code == 200
        assert listed.context["cl"].result_count == 0
