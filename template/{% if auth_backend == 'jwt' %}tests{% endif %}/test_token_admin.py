"""The admin never shows a token in clear, in lists, detail pages or messages."""

from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

TOKENS_URL = "/admin/token_blacklist/outstandingtoken/"


def detail_url(user):
    return f"{TOKENS_URL}{OutstandingToken.objects.get(user=user).pk}/change/"


def test_token_list_and_detail_never_show_the_token(client, admin_user, login, user):
    secrets = [value for key, value in login.items() if key != "expiry"]
    client.force_login(admin_user)

    for url in (TOKENS_URL, detail_url(user)):
        page = client.get(url)
        assert page.status_code == 200, url
        for secret in secrets:
            assert secret not in page.content.decode(), url
