from django.contrib import admin
from knox.admin import AuthTokenAdmin
from knox.models import get_token_model

from .admin_base import SecretColumnsAdmin

# knox's admin lists each token's digest and searches digests and key prefixes.
admin.site.unregister(get_token_model())


@admin.register(get_token_model())
class KnoxTokenAdmin(SecretColumnsAdmin, AuthTokenAdmin):
    """knox's token admin, without digests or key prefixes in lists, searches and lookups."""

    list_display = ("user", "created", "expiry")
    secret_fields = ("digest", "token_key")
