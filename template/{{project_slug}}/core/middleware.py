"""Middleware of the whole site."""

from django.conf import settings
from django.http import JsonResponse

from .errors import bad_request


class BodySizeLimitMiddleware:
    """Refuse with 413 any request whose declared body exceeds
    DATA_UPLOAD_MAX_MEMORY_SIZE, before anything reads it.

    Django applies that limit only to bodies it reads whole; multipart file
    parts are streamed to disk whatever their size.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return bad_request(request, exception=None)
        if limit is not None and length > limit:
            return JsonResponse(
                {"detail": f"The request body is larger than {limit} bytes."}, status=413
            )
        return self.get_response(request)
