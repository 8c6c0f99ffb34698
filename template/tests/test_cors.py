"""CORS is closed unless an origin is allowed in the environment."""

from django.test import override_settings

from .conftest import HELLO_URL


def preflight(client):
    return client.options(
        HELLO_URL,
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )


def test_a_foreign_origin_gets_no_cors_headers(authenticated_client):
    response = authenticated_client.get(HELLO_URL, HTTP_ORIGIN="https://evil.example.com")

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in preflight(authenticated_client)


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"])
def test_an_allowed_origin_gets_cors_headers(authenticated_client):
    response = authenticated_client.get(HELLO_URL, HTTP_ORIGIN="https://app.example.com")

    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "authorization" in preflight(authenticated_client)["Access-Control-Allow-Headers"]
