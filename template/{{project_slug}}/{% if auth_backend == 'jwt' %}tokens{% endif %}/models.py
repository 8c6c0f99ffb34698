from django.conf import settings
from django.db import models

# The JWT claim that carries the user's TokenState.generation.
GENERATION_CLAIM = "gen"


class TokenState(models.Model):
    """A user's token generation: every JWT carries the one current when it was issued.

    Logout-all and a password change bump it, which revokes all of the user's
    tokens at once. A counter rather than a "valid after" time: JWT `iat`
    claims have one-second resolution, so a time cannot tell apart tokens
    issued in the same second as the revocation.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="token_state",
    )
    generation = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.user}: generation {self.generation}"


class DeniedToken(models.Model):
    """An access token logged out on its device, refused until it expires.

    Read in the same query as the user on every request (queries.user_for_token).
    A row past `expires_at` denies nothing more, as its token has expired: each
    logout deletes those.
    """

    jti = models.CharField(max_length=255, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.jti} (until {self.expires_at:%Y-%m-%d %H:%M})"
