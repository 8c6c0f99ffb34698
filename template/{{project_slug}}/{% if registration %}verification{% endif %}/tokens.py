from django.contrib.auth.tokens import PasswordResetTokenGenerator

from .models import PendingVerification


class VerificationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens, under a salt of their own, and dead once used: their
    hash covers whether the sign-up is still pending."""

    key_salt = "verification.tokens.VerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        pending = PendingVerification.objects.filter(user=user).exists()
        return f"{super()._make_hash_value(user, timestamp)}{pending}"


verification_tokens = VerificationTokenGenerator()
