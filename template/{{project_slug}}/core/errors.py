"""JSON bodies for the errors Django itself answers (unknown URL, bad request, crash).

They serve the whole site, /admin/ included; the root URLconf names them.

DRF ships `rest_framework.exceptions.bad_request` and `server_error`, but they
answer `{"error": ...}`; these keep the `{"detail": ...}` shape that every DRF
error in this API uses, and add the 404 that DRF lacks.
"""

from django.http import JsonResponse
from django.views import csrf
from django.views.decorators.csrf import csrf_exempt


def bad_request(request, exception):
    return JsonResponse({"detail": "Bad request."}, status=400)


def page_not_found(request, exception):
    return JsonResponse({"detail": "Not found."}, status=404)


def server_error(request):
    return JsonResponse({"detail": "A server error occurred."}, status=500)


@csrf_exempt
def api_not_found(request):
    """Every unknown /api/ path, for every method, whatever the settings: with DEBUG
    on, Django answers an unmatched URL with its HTML debug page, not with
    handler404; and an unsafe method would meet the CSRF check first (there is
    nothing here to protect)."""
    return page_not_found(request, exception=None)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: under /api/, JSON in the shape DRF's own CSRF failure
    has; elsewhere (the admin, login pages: people) Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": f"CSRF Failed: {reason}"}, status=403)
    return csrf.csrf_failure(request, reason=reason)
