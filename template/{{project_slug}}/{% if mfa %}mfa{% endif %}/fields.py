import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# A passkey's answer is well under 2 KiB as JSON; a large attestation or a key
# with certificates stays far below this.
MAX_CREDENTIAL_SIZE = 16 * 1024


@extend_schema_field(OpenApiTypes.OBJECT)
class CredentialField(serializers.JSONField):
    """A WebAuthn credential as JSON (what the browser's `PublicKeyCredential.toJSON()`
    gives): an object of at most 16 KiB."""

    default_error_messages = {
        "not_an_object": "Expected the credential as a JSON object.",
        "too_large": "The credential is too large.",
    }

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            self.fail("not_an_object")
        if len(json.dumps(value)) > MAX_CREDENTIAL_SIZE:
            self.fail("too_large")
        return value
