"""What happens to an account when it is deactivated, wherever that is done (the
admin, a shell, a data migration saving models)."""

from ..tokens.services import revoke_tokens
from .sessions import end_sessions


def revoke_when_deactivated(sender, instance, update_fields=None, **kwargs):
    """A deactivated account keeps no token, grant or session: reactivating it later
    does not bring them back. (`QuerySet.update()` sends no signal; the token
    check refuses an inactive user's tokens anyway.)"""
    if not instance.is_active and (update_fields is None or "is_active" in update_fields):
        revoke_tokens(instance)
        end_sessions(instance)
