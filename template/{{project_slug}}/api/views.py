import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError, connection
from django_tasks_db.models import DBTaskResult
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

logger = logging.getLogger(__name__)

HEALTH_RESPONSE = inline_serializer(
    "HealthResponse",
    fields={
        "status": serializers.ChoiceField(choices=["ok", "unavailable"]),
        "checks": serializers.DictField(child=serializers.CharField()),
    },
)


class HelloView(APIView):
    """The example protected endpoint: greets the authenticated user (the default
    permissions: settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"])."""

    @extend_schema(
        responses=inline_serializer("Greeting", fields={"message": serializers.CharField()})
    )
    def get(self, request):
        return Response({"message": f"Hello {request.user.get_username()}"})


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database (DATABASE_URL) did not answer")
        return False
    return True


def cache_is_up() -> bool:
    try:
        cache.set("health-check", "ok", timeout=5)
        return cache.get("health-check") == "ok"
    # Each cache backend raises its own client's errors (redis, pymemcache, ...).
    except Exception:
        logger.exception("Health check: the cache (see CACHES in the settings) did not answer")
        return False


def task_queue_is_up() -> bool:
    try:
        DBTaskResult.objects.exists()
    except DatabaseError:
        logger.exception("Health check: the task queue (its table, in the database) did not answer")
        return False
    return True


# What an instance needs to serve requests.
SERVICES = {"database": database_is_up, "cache": cache_is_up}


class ProbeView(APIView):
    """Answer 200 when every check passes, 503 naming the ones that failed."""

    # Probes send no credentials, and a stale header must not turn a healthy
    # instance into a 401, nor a busy one into a 429.
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    checks: dict[str, Callable[[], bool]] = {}

    @extend_schema(responses={200: HEALTH_RESPONSE, 503: HEALTH_RESPONSE})
    def get(self, request):
        results = {name: check() for name, check in self.checks.items()}
        healthy = all(results.values())
        return Response(
            {
                "status": "ok" if healthy else "unavailable",
                "checks": {name: "ok" if up else "unavailable" for name, up in results.items()},
            },
            status=status.HTTP_200_OK if healthy else status.HTTP_503_SERVICE_UNAVAILABLE,
        )


class LiveView(ProbeView):
    """Liveness: the process answers. Touches nothing, so an outage of a backing
    service never gets a healthy instance restarted."""


class ReadyView(ProbeView):
    """Readiness: send traffic here only while the services it needs answer, and
    the queue where it leaves mail for the worker."""

    checks = {**SERVICES, "task_queue": task_queue_is_up}


class HealthView(ProbeView):
    """The original probe (database and cache), kept as it is for existing deployments."""

    checks = SERVICES
