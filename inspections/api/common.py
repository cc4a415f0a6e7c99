"""What the inspections API shares: a service's refusal answered as the API's 400."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


@contextmanager
def service_errors():
    """A service's Django ValidationError becomes the API's 400 with the same keys."""
    try:
        yield
    except DjangoValidationError as error:
        raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
