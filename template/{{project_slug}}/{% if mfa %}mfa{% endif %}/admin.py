"""Support's side of second factors: see who has one, and delete the device or the
passkey of a user who lost it and the recovery codes (they set a new one up after
logging in with the password). Secrets, digests and keys are never shown."""

from django.contrib import admin

from .factors import disable_totp, remove_passkey
from .models import Passkey, TOTPDevice


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "confirmed_at"]
    list_filter = ["confirmed_at"]
    search_fields = ["user__email"]
    fields = ["user", "created_at", "confirmed_at"]
    readonly_fields = ["user", "created_at", "confirmed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        # The recovery codes go with the account's last factor.
        disable_totp(obj.user)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            disable_totp(device.user)


@admin.register(Passkey)
class PasskeyAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at"]
    search_fields = ["user__email", "name"]
    fields = ["user", "name", "created_at", "last_used_at"]
    readonly_fields = ["user", "name", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        # The recovery codes go with the account's last factor.
        remove_passkey(obj)

    def delete_queryset(self, request, queryset):
        for passkey in queryset.select_related("user"):
            remove_passkey(passkey)
