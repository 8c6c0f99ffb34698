from django.contrib import admin

from .models import PendingVerification


@admin.register(PendingVerification)
class PendingVerificationAdmin(admin.ModelAdmin):
    """Sign-ups awaiting email verification. Deleting one verifies it by hand."""

    list_display = ["user", "created"]
    ordering = ["-created"]
    raw_id_fields = ["user"]
