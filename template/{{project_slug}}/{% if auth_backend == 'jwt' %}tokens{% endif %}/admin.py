from django.contrib import admin
from rest_framework_simplejwt.token_blacklist import admin as blacklist_admin
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from .admin_base import SecretColumnsAdmin

# SimpleJWT's admin shows every issued refresh token in clear.
admin.site.unregister(OutstandingToken)


@admin.register(OutstandingToken)
class OutstandingTokenAdmin(SecretColumnsAdmin, blacklist_admin.OutstandingTokenAdmin):
    """SimpleJWT's admin of issued refresh tokens, without the tokens themselves."""

    exclude = ("token",)
    secret_fields = ("token",)

    def get_readonly_fields(self, *args, **kwargs):
        return [name for name in super().get_readonly_fields(*args, **kwargs) if name != "token"]
