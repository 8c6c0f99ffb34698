from rest_framework.routers import SimpleRouter

from .views import NoteViewSet

# /api/notes/ (list, create) and /api/notes/<id>/ (read, update, delete), named
# note-list and note-detail.
router = SimpleRouter()
router.register("", NoteViewSet, basename="note")

urlpatterns = router.urls
