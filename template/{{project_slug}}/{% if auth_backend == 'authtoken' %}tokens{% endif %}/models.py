from rest_framework.authtoken.models import TokenProxy


class UserToken(TokenProxy):
    """DRF's admin proxy for tokens (addressed by user id), named by its user so the
    admin's messages and history never print the key."""

    class Meta:
        proxy = True
        verbose_name = "token"
        verbose_name_plural = "tokens"

    def __str__(self):
        return f"Token of {self.user}"
