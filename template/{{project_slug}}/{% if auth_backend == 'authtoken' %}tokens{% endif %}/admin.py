from django.contrib import admin
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from .admin_base import SecretColumnsAdmin
from .models import UserToken

# DRF's own admin lists raw keys, and names each token by its key in messages
# and in the admin log.
admin.site.unregister(TokenProxy)


@admin.register(UserToken)
class UserTokenAdmin(SecretColumnsAdmin, TokenAdmin):
    """DRF's token admin (addressed by user id), without the keys."""

    list_display = ("user", "created")
    secret_fields = ("key",)
