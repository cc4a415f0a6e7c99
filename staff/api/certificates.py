"""/api/certificates/: the certificates of the people the caller may see."""

from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import CertificateFilterSet
from ..models import Certificate


class CertificateSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Certificate
        fields = ["id", "person", "person_name", "kind", "number", "issued_on", "expires_on"]


class CertificateViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Certificates of people within the caller's reach (read only: the pages and the import write)."""

    queryset = Certificate.objects.select_related("person").order_by("expires_on", "pk")
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilterSet
    ordering_fields = ["expires_on", "issued_on"]
