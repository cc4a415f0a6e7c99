"""Read-only serializers of the indicator engine's output: snapshots, forecasts, warnings, runs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.permissions import Act, holders

from .. import registry
from ..follow_up import FollowUpStatus
from ..models import ComputationRun, EarlyWarning, IndicatorSnapshot, SeatForecast


class CompletenessSerializer(serializers.Serializer):
    """The reporting completeness a figure was computed with (docs/indicators.md, "Official figures and completeness")."""

    expected = serializers.IntegerField(help_text="应报园所数：在办且核定学位数大于 0 的幼儿园")
    reported = serializers.IntegerField(help_text="其中本学年有正式数据的园所数")
    missing = serializers.IntegerField(help_text="未报送园所数（不计入指标，也不按 0 计）")
    share = serializers.DecimalField(max_digits=8, decimal_places=6, allow_null=True, help_text="已报 ÷ 应报，截断")
    expected_seats = serializers.IntegerField(help_text="应报园所核定学位数")
    reported_seats = serializers.IntegerField(help_text="已报园所核定学位数")
    seat_share = serializers.DecimalField(max_digits=8, decimal_places=6, allow_null=True)
    provisional = serializers.BooleanField(help_text="学年尚未由区教委锁定：暂定")
    missing_url = serializers.CharField(help_text="未报送园所名单（页面）")


class IndicatorSnapshotSerializer(serializers.ModelSerializer):
    subdistrict_name = serializers.CharField(source="subdistrict.name", read_only=True, default=None)
    # The codes and labels the installed apps declare (reports.registry), documented in the schema.
    indicator = serializers.ChoiceField(choices=registry.CHOICES, read_only=True)
    indicator_label = serializers.CharField(read_only=True)
    scope_type_label = serializers.CharField(source="get_scope_type_display", read_only=True)
    completeness = serializers.SerializerMethodField()

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
            "completeness",
            "computed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CompletenessSerializer(allow_null=True))
    def get_completeness(self, snapshot: IndicatorSnapshot) -> dict | None:
        """None for a figure that does not come from kindergartens' reports."""
        completeness = snapshot.completeness
        if completeness is None:
            return None
        data = {
            name: getattr(completeness, name)
            for name in ("expected", "reported", "missing", "share", "expected_seats", "reported_seats")
        }
        data |= {"seat_share": completeness.seat_share, "provisional": completeness.provisional}
        # The district's list for district and sponsor-type rows, the sub-district's for its own.
        data["missing_url"] = registry.missing_reports_url(snapshot.indicator, snapshot.subdistrict_id, snapshot.date)
        return CompletenessSerializer(data).data


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
