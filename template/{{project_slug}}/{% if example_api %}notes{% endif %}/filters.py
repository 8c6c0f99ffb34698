import django_filters
from django.db.models import Q

from .models import Note


class NoteFilter(django_filters.FilterSet):
    """The list's query parameters. django-filter validates each one: a bad value
    is a 400 naming it, not a filter silently ignored (as DRF's OrderingFilter
    ignores an unknown field), and text with a NUL character is refused before
    PostgreSQL sees it."""

    search = django_filters.CharFilter(method="filter_search", label="Text in the title or body.")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    ordering = django_filters.OrderingFilter(fields=["created_at", "updated_at", "title"])

    class Meta:
        model = Note
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))
