"""The notifications API: the caller's own notifications only (others answer 404), newest first,
filterable by `unread` and `kind`; `POST /api/notifications/<id>/read/` marks one read."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import ScopedViewSetMixin

from .. import services
from ..filtersets import NotificationFilterSet
from ..models import Notification
from .serializers import NotificationSerializer


class NotificationViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = services.notification_mark_read(notification=self.get_object(), user=request.user)
        return Response(self.get_serializer(notification).data)
