from django.conf import settings
from django.core.checks import Error, Tags, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def throttle_cache_is_shared(app_configs, **kwargs):
    """DRF's throttles count in the default cache; a process-local one counts per process."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Error(
            f"The default cache ({backend}) lives in each process, so every process and "
            "host would keep its own login-throttle counts.",
            hint="Set DJANGO_CACHE_URL to a shared cache, e.g. dbcache://django_cache "
            "(then run manage.py createcachetable) or redis://host:6379/0.",
            id="api.E001",
        )
    ]
