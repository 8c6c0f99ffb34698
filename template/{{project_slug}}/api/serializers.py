"""Serializer pieces every app of the project shares: import them in a new app's
serializers as you would DRF's."""

from django.db import models
from rest_framework import serializers


class TextField(serializers.CharField):
    """A CharField that takes text only: DRF's turns a JSON number into its digits
    (`"title": 0` would be saved as "0")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    """DRF's, with the model's text columns (CharField, TextField) as TextField."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
    }
