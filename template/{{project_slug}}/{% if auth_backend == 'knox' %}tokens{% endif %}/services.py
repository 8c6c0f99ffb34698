"""Issuing and revoking knox tokens: one per device, stored as digests, expiring after TOKEN_TTL."""

from django.utils import timezone
from knox.auth import TokenAuthentication
from knox.models import get_token_model
from knox.settings import knox_settings
from knox.signals import token_expired
from rest_framework.serializers import DateTimeField


def delete_expired_tokens(user):
    """Run at each login: knox runs this on every authenticated request instead, in a
    second query (see authentication.py). Sends knox's token_expired signal for each,
    from knox's own authentication class as knox does."""
    expired = get_token_model().objects.filter(user=user, expiry__lt=timezone.now())
    _, deleted = expired.delete()
    for _ in range(deleted.get(get_token_model()._meta.label, 0)):
        token_expired.send(
            sender=TokenAuthentication, username=user.get_username(), source="other_token"
        )


def issue_token(user):
    """A new token for one more device, in the body knox's own login view returns."""
    delete_expired_tokens(user)
    instance, token = get_token_model().objects.create(
        user=user, expiry=knox_settings.TOKEN_TTL, prefix=knox_settings.TOKEN_PREFIX
    )
    expiry = DateTimeField(format=knox_settings.EXPIRY_DATETIME_FORMAT)
    return {"expiry": expiry.to_representation(instance.expiry), "token": token}


def revoke_tokens(user):
    get_token_model().objects.filter(user=user).delete()
