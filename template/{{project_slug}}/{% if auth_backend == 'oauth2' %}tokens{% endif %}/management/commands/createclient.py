"""`manage.py createclient`: register an OAuth2 client without the admin.

django-oauth-toolkit's own `createapplication` exits 0 when it refuses a client,
prints the client ID only when no name is given, and offers the implicit and
password grants that this project refuses; this command fails with the reason,
and prints the client ID, and the secret once.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from oauth2_provider.models import get_application_model

from ...models import ResourceServer
from ...validators import is_loopback

Application = get_application_model()
GRANTS = {
    "authorization-code": Application.GRANT_AUTHORIZATION_CODE,
    "client-credentials": Application.GRANT_CLIENT_CREDENTIALS,
    "device-code": Application.GRANT_DEVICE_CODE,
}


class Command(BaseCommand):
    help = "Register an OAuth2 client; print its client ID (and, if confidential, its secret)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="A name people will recognise on the consent page.")
        parser.add_argument("--grant", choices=sorted(GRANTS), default="authorization-code")
        parser.add_argument(
            "--public",
            action="store_true",
            help="A client that cannot keep a secret (a browser or native app, a CLI): "
            "it gets no secret and relies on PKCE.",
        )
        parser.add_argument(
            "--redirect-uri",
            action="append",
            default=[],
            dest="redirect_uris",
            help="Exact redirect URI; repeat for several. https, or http on a loopback address.",
        )
        parser.add_argument(
            "--resource-server",
            action="store_true",
            help="Another API that accepts this server's tokens: it may introspect them "
            "(a confidential client-credentials client).",
        )

    def handle(self, *args, name, grant, public, redirect_uris, resource_server, **options):
        # django-oauth-toolkit keeps redirect URIs space-separated: check each one.
        redirect_uris = [uri for value in redirect_uris for uri in value.split()]
        if grant == "authorization-code" and not redirect_uris:
            raise CommandError("An authorization-code client needs at least one --redirect-uri.")
        if grant != "authorization-code" and redirect_uris:
            raise CommandError(f"A {grant} client has no redirect URI.")
        if grant == "client-credentials" and public:
            raise CommandError("A client-credentials client must be confidential (drop --public).")
        if resource_server and grant != "client-credentials":
            raise CommandError("A resource server is a client-credentials client.")
        for uri in redirect_uris:
            parts = urlsplit(uri)
            if parts.scheme == "http" and not is_loopback(parts.hostname):
                raise CommandError(f"{uri}: http is only for a loopback address; use https.")
        client = Application(
            name=name,
            client_type=Application.CLIENT_PUBLIC if public else Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=GRANTS[grant],
            redirect_uris=" ".join(redirect_uris),
        )
        if public:
            client.client_secret = ""
        secret = client.client_secret  # in clear until saved, then hashed
        try:
            client.full_clean()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        with transaction.atomic():
            client.save()
            if resource_server:
                ResourceServer.objects.create(application=client)
        self.stdout.write(f"client_id: {client.client_id}")
        if not public:
            self.stdout.write(f"client_secret: {secret}")
            self.stderr.write("Keep the secret now: it is stored hashed and never shown again.")
