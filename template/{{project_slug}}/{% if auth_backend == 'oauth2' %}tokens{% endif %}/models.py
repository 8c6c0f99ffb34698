"""What django-oauth-toolkit does not keep: which clients are resource servers, and
the tokens each exchanged authorization code gave (to revoke them on a replay)."""

from django.conf import settings
from django.db import models
from oauth2_provider.settings import oauth2_settings


class ResourceServer(models.Model):
    """A client that may introspect tokens (RFC 7662 §2.1): another API of yours that
    accepts this server's tokens. Kept beside the client rather than in a swapped
    Application model, which django-oauth-toolkit asks to be chosen before the
    first migration."""

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="resource_server",
    )

    def __str__(self):
        return str(self.application)


class ExchangedCode(models.Model):
    """An authorization code after its exchange, for the rest of its lifetime: its
    checksum and what it produced, so that a replay revokes them (RFC 6749 §4.1.2).
    django-oauth-toolkit deletes the code at exchange and links no token to it."""

    code_checksum = models.CharField(max_length=64, unique=True)
    application = models.ForeignKey(oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    access_token_checksum = models.CharField(max_length=64)
    token_family = models.UUIDField(null=True)
    expires = models.DateTimeField()

    def __str__(self):
        return f"Code exchanged by {self.application}"
