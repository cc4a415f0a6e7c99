"""The permission layer for the API: viewsets restricted to the caller's scope, and the
permission classes for bureau-only resources, every one asking `accounts.permissions`."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .permissions import Act, may
from .scoping import CHANGE, VIEW


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
