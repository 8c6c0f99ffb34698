"""`manage.py prunetokens`: delete what can no longer be used; run it daily."""

from django.core.management.base import BaseCommand

from ...services import prune


class Command(BaseCommand):
    help = (
        "Delete expired and revoked tokens, expired codes and device grants "
        "(django-oauth-toolkit's cleartokens, and what it leaves)."
    )

    def handle(self, *args, **options):
        prune()
