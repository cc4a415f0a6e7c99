"""Building blocks shared by every app's API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.permissions import Act, may
from accounts.scoping import CHANGE, VIEW


class ScopedViewSetMixin:
    """Limits a viewset to the caller's scope: reads to what they may see, writes to what they may change."""

    def get_queryset(self):
        action = VIEW if self.request.method in SAFE_METHODS else CHANGE
        return super().get_queryset().restrict(self.request.user, action)


class BureauOnlyPermission(BasePermission):
    """Resources that are the bureau's alone (computation runs)."""

    def has_permission(self, request, view) -> bool:
        return may(request.user, Act.MANAGE)


class BureauWritesPermission(BasePermission):
    """District-wide reference data (school years …): everyone signed in reads, the bureau writes."""

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or may(request.user, Act.MANAGE)


class BureauCreatesPermission(BasePermission):
    """Only bureau staff create registry records; everyone else may at most update their own."""

    def has_permission(self, request, view) -> bool:
        if getattr(view, "action", None) == "create":
            return may(request.user, Act.MANAGE)
        return True


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
