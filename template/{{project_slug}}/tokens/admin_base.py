from django.contrib import admin
from django.db.models.constants import LOOKUP_SEP


class SecretColumnsAdmin(admin.ModelAdmin):
    """An admin whose secret columns are never a lookup, a filter or a search.

    Django's changelist accepts lookups on a model's own fields from the query
    string (`?key__gte=8`), and the number of rows it then lists tells whether
    the secret matched: any staff user allowed to view the list could recover a
    token one character at a time. Django's UserAdmin refuses such lookups on
    `password` with 400; this does the same for `secret_fields`.
    """

    secret_fields: tuple[str, ...] = ()

    def is_secret(self, lookup):
        return lookup.split(LOOKUP_SEP)[0] in self.secret_fields

    def lookup_allowed(self, lookup, value, request=None):
        return not self.is_secret(lookup) and super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request):
        return [name for name in super().get_search_fields(request) if not self.is_secret(name)]
