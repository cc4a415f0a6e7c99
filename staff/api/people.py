"""/api/staff/: the posts the caller may see, with the person (ID number masked) and certificate states."""

from django.utils import timezone
from rest_framework import serializers, viewsets

from accounts.api import ScopedViewSetMixin

from ..filtersets import StaffMemberFilterSet
from ..models import Person, StaffingStandard, StaffMember
from ..selectors import with_certificate_state


class PersonSummarySerializer(serializers.ModelSerializer):
    id_number_masked = serializers.CharField(source="masked_id", read_only=True)

    class Meta:
        model = Person
        # Never the hash, the ciphertext or the number: only the masked form.
        fields = ["id", "name", "id_number_masked", "gender", "birth_date", "education", "professional_title"]


class StaffMemberSerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True)
    subdistrict = serializers.IntegerField(source="kindergarten.subdistrict_id", read_only=True)
    lacks_certificate = serializers.BooleanField(read_only=True)
    certificate_expiring = serializers.BooleanField(read_only=True)
    certificate_expired = serializers.BooleanField(read_only=True)

    class Meta:
        model = StaffMember
        fields = [
            "id",
            "person",
            "kindergarten",
            "kindergarten_name",
            "subdistrict",
            "role",
            "establishment",
            "full_time",
            "hired_on",
            "left_on",
            "lacks_certificate",
            "certificate_expiring",
            "certificate_expired",
        ]


class StaffMemberViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Posts the caller may see (read only: the pages and the workbook import write). Current
    posts unless `current=false`; filters as the staff list page."""

    queryset = StaffMember.objects.select_related("person", "kindergarten").order_by("kindergarten__code", "role", "pk")
    serializer_class = StaffMemberSerializer
    filterset_class = StaffMemberFilterSet
    ordering_fields = ["hired_on", "left_on", "role"]

    def get_queryset(self):
        day = timezone.localdate()
        return with_certificate_state(super().get_queryset(), day, StaffingStandard.objects.for_day(day))
