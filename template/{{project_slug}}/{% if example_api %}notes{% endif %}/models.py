from django.conf import settings
from django.db import models


class Note(models.Model):
    """A user's own note: no one else reads or changes it (views.py)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Newest first, the id breaking ties: a paginated list needs a total order,
        # or rows repeat and go missing between pages (Django warns, and the
        # suite's warnings are errors).
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at", "-id"], name="note_owner_newest")]

    def __str__(self):
        return self.title
