from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, on this project's site (config/admin.py)."""

    default_site = "config.admin.AdminSite"
