from rest_framework import viewsets

from accounts.api import BureauCreatesPermission, ScopedViewSetMixin

from ..estates import estate_board
from ..filtersets import EstateKindergartenFilterSet, KindergartenFilterSet, SubdistrictFilterSet
from ..models import Kindergarten, Subdistrict
from .serializers import EstateKindergartenSerializer, KindergartenSerializer, SubdistrictSerializer


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


class EstateKindergartenViewSet(viewsets.ReadOnlyModelViewSet):
    """The residential-estate board: estate kindergartens the caller may see (`estate_board`
    restricts them), with their stage, open gaps and flags. Written through the registry's services."""

    serializer_class = EstateKindergartenSerializer
    filterset_class = EstateKindergartenFilterSet
    ordering_fields = ["code", "name", "estate_stage"]

    def get_queryset(self):
        return estate_board(self.request.user)
