"""The admin never shows a token in clear, in lists or detail pages."""


def test_token_list_and_detail_never_show_the_token(client, admin_user, backend, login, user):
    client.force_login(admin_user)

    for url in (backend.admin_tokens_url, backend.admin_token_url(user)):
        page = client.get(url)
        assert page.status_code == 200, url
        for secret in backend.secrets_of(login):
            assert secret not in page.content.decode(), url
