"""Read-only serializers of the indicator engine's output: snapshots, forecasts, warnings, runs."""

from rest_framework import serializers

from accounts.permissions import Act, holders

from .. import registry
from ..follow_up import FollowUpStatus
from ..models import ComputationRun, EarlyWarning, IndicatorSnapshot, SeatForecast


class IndicatorSnapshotSerializer(serializers.ModelSerializer):
    subdistrict_name = serializers.CharField(source="subdistrict.name", read_only=True, default=None)
    # The codes and labels the installed apps declare (reports.registry), documented in the schema.
    indicator = serializers.ChoiceField(choices=registry.CHOICES, read_only=True)
    indicator_label = serializers.CharField(read_only=True)
    scope_type_label = serializers.CharField(source="get_scope_type_display", read_only=True)

    class Meta:
        model = IndicatorSnapshot
        fields = [
            "id",
            "date",
            "scope_type",
            "scope_type_label",
            "scope_key",
            "subdistrict",
            "subdistrict_name",
            "indicator",
            "indicator_label",
            "numerator",
            "denominator",
            "value",
            "target",
            "met",
            "national_target",
            "national_met",
            "population_basis",
            "computed_at",
        ]
        read_only_fields = fields


class SeatForecastSerializer(serializers.ModelSerializer):
    subdistrict_name = serializers.CharField(source="subdistrict.name", read_only=True)

    class Meta:
        model = SeatForecast
        fields = ["id", "date", "subdistrict", "subdistrict_name", "year", "cohort", "demand", "seats", "shortfall"]
        read_only_fields = fields


class EarlyWarningSerializer(serializers.ModelSerializer):
    subdistrict_name = serializers.CharField(source="subdistrict.name", read_only=True)
    kindergarten_name = serializers.CharField(source="kindergarten.name", read_only=True, default=None)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    # The follow-up (reports.follow_up), annotated by the viewset: it survives recomputation.
    follow_up_status = serializers.ChoiceField(choices=FollowUpStatus.choices, read_only=True)
    follow_up_owner = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = EarlyWarning
        fields = [
            "id",
            "date",
            "kind",
            "kind_label",
            "subdistrict",
            "subdistrict_name",
            "kindergarten",
            "kindergarten_name",
            "year",
            "demand",
            "supply",
            "shortfall",
            "message",
            "follow_up_status",
            "follow_up_owner",
        ]
        read_only_fields = fields


class FollowUpActionSerializer(serializers.Serializer):
    """A change to a warning's follow-up: any of status, owner (null clears it), note."""

    status = serializers.ChoiceField(choices=FollowUpStatus.choices, required=False)
    # Lazy (the schema is built without a database): users who watch a dashboard; the service
    # then refuses anyone without district reach, as a field error.
    owner = serializers.PrimaryKeyRelatedField(queryset=holders(Act.DASHBOARD), required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ComputationRunSerializer(serializers.ModelSerializer):
    triggered_by = serializers.StringRelatedField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ComputationRun
        fields = [
            "id",
            "date",
            "status",
            "status_label",
            "started_at",
            "finished_at",
            "error",
            "triggered_by",
            "snapshot_count",
            "warning_count",
            "report_file",
        ]
        read_only_fields = fields
