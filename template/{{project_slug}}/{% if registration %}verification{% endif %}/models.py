from django.conf import settings
from django.db import models


class PendingVerification(models.Model):
    """A sign-up whose email address is not verified yet: the account cannot log in
    through the API until the link mailed to it is followed, which deletes this row.

    Kept apart from `is_active`, which stays the admin's: verifying never
    reactivates an account an admin deactivated. Accounts made any other way
    (createsuperuser, the admin) have no row and log in as before.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True
    )
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} (email not verified)"
