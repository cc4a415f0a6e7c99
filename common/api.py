"""A building block every app's API shares: serializers that run the model's own validation."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


class ModelCleanSerializer(serializers.ModelSerializer):
    """Runs the model's own validation (`full_clean`), so the API enforces the same rules as forms."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.instance or self.Meta.model()
        for name, value in attrs.items():
            if not self.fields[name].read_only:
                setattr(instance, name, value)
        try:
            # Uniqueness is checked by the serializer's own validators.
            instance.full_clean(validate_unique=False)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return attrs
