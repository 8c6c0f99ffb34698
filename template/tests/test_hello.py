from .conftest import HELLO_URL


def test_hello_greets_the_authenticated_user(authenticated_client, user):
    response = authenticated_client.get(HELLO_URL)

    assert response.status_code == 200
    assert response.json() == {"message": f"Hello {user.get_username()}"}


def test_hello_refuses_anonymous_requests(api_client, db):
    response = api_client.get(HELLO_URL)

    assert response.status_code == 401


def test_hello_only_reads(authenticated_client):
    response = authenticated_client.post(HELLO_URL)

    assert response.status_code == 405
