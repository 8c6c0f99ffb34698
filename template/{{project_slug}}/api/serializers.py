"""Serializer pieces every app of the project shares: import them in a new app's
serializers as you would DRF's."""

from django.db import models
from rest_framework import serializers


class TextField(serializers.CharField):
    """A CharField that takes text only: DRF's turns a JSON number into its digits
    (`"title": 0` would be saved as "0"). Its length is the text's as sent, as the
    schema's maxLength says: DRF's measures it after trimming whitespace."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    """DRF's, with the model's text columns (CharField, TextField) as TextField."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
    }
