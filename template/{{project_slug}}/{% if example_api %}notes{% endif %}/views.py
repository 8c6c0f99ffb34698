from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from .filters import NoteFilter
from .models import Note
from .serializers import NoteSerializer


class NoteViewSet(viewsets.ModelViewSet):
    """The caller's own notes. Authentication, permissions, pagination and
    throttling are the project's defaults (settings.REST_FRAMEWORK).

    Another user's note is not found (404), never forbidden (403): an id must not
    tell anyone that it exists.
    """

    serializer_class = NoteSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = NoteFilter

    def get_queryset(self):
        user = self.request.user
        # An anonymous caller gets its 401 before this runs, but drf-spectacular
        # asks as one when it writes the schema. The check also tells mypy that
        # `user` is a User from here on.
        if not user.is_authenticated:
            return Note.objects.none()
        return Note.objects.filter(owner=user)

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)
