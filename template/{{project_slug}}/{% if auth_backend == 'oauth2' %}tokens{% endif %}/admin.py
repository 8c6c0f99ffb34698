"""django-oauth-toolkit's admins mask codes and tokens and never search them; these
also refuse them, and the hashed client secrets, as changelist lookups."""

from django.contrib import admin
from oauth2_provider import admin as oauth2_admin
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
)

from .admin_base import SecretColumnsAdmin
from .models import ResourceServer

Application = get_application_model()
AccessToken = get_access_token_model()
RefreshToken = get_refresh_token_model()
Grant = get_grant_model()

for model in (Application, AccessToken, RefreshToken, Grant):
    admin.site.unregister(model)


class ResourceServerInline(admin.StackedInline):
    model = ResourceServer
    verbose_name = "resource server (may introspect tokens)"
    verbose_name_plural = verbose_name


@admin.register(Application)
class ApplicationAdmin(SecretColumnsAdmin, oauth2_admin.ApplicationAdmin):
    secret_fields = ("client_secret",)
    inlines = [ResourceServerInline]


@admin.register(AccessToken)
class AccessTokenAdmin(SecretColumnsAdmin, oauth2_admin.AccessTokenAdmin):
    secret_fields = ("token", "token_checksum")


@admin.register(RefreshToken)
class RefreshTokenAdmin(SecretColumnsAdmin, oauth2_admin.RefreshTokenAdmin):
    secret_fields = ("token", "token_checksum")


@admin.register(Grant)
class GrantAdmin(SecretColumnsAdmin, oauth2_admin.GrantAdmin):
    secret_fields = ("code", "code_challenge")
