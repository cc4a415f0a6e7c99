from rest_framework import viewsets

from accounts.api import BureauCreatesPermission, ScopedViewSetMixin

from ..filtersets import KindergartenFilterSet, SubdistrictFilterSet
from ..models import Kindergarten, Subdistrict
from .serializers import KindergartenSerializer, SubdistrictSerializer


class SubdistrictViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Subdistrict.objects.all()
    serializer_class = SubdistrictSerializer
    filterset_class = SubdistrictFilterSet
    ordering_fields = ["code", "name"]


class KindergartenViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Kindergartens the caller may see. Directors may update their own contact fields only."""

    queryset = Kindergarten.objects.select_related("subdistrict")
    serializer_class = KindergartenSerializer
    filterset_class = KindergartenFilterSet
    permission_classes = [*viewsets.ModelViewSet.permission_classes, BureauCreatesPermission]
    ordering_fields = ["code", "name", "approved_capacity", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
