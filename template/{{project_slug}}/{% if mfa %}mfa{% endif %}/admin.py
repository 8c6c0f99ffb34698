"""Support's side of second factors: see who has one, and delete the device of a
user who lost both the app and the recovery codes (they set a new one up after
logging in with the password). Secrets and digests are never shown."""

from django.contrib import admin

from .models import RecoveryCode, TOTPDevice


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
        # The recovery codes go with the app: a new one comes with a new set.
        RecoveryCode.objects.filter(user=obj.user).delete()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        RecoveryCode.objects.filter(user__in=queryset.values("user")).delete()
        super().delete_queryset(request, queryset)
