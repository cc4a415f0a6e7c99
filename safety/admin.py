"""The admin site (administrators only): the rule set and ladder versions, profiles, drills, hazards and supervision."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Drill,
    Hazard,
    HazardEvent,
    SafetyProfile,
    SafetyRuleSet,
    SupervisionEvent,
    SupervisionInterview,
    SupervisionLadder,
    SupervisionNotice,
    SupervisionOrder,
)


@admin.register(SafetyRuleSet)
class SafetyRuleSetAdmin(SimpleHistoryAdmin):
    list_display = ("name", "valid_from", "valid_to", "general_deadline_days", "major_deadline_days")


@admin.register(SafetyProfile)
class SafetyProfileAdmin(SimpleHistoryAdmin):
    list_display = ("kindergarten", "guards_full_time", "alarm_linked", "video_linked", "closed_campus", "updated_at")
    list_filter = ("alarm_linked", "video_linked", "closed_campus")
    search_fields = ("kindergarten__name", "kindergarten__code")
    list_select_related = ("kindergarten",)
    raw_id_fields = ("kindergarten",)


@admin.register(Drill)
class DrillAdmin(SimpleHistoryAdmin):
    list_display = ("kindergarten", "held_on", "kind", "participants")
    list_filter = ("kind",)
    raw_id_fields = ("kindergarten", "recorded_by")


class HazardEventInline(admin.TabularInline):
    model = HazardEvent
    extra = 0
    readonly_fields = ("action", "note", "by", "at")
    can_delete = False


@admin.register(Hazard)
class HazardAdmin(SimpleHistoryAdmin):
    list_display = ("kindergarten", "category", "severity", "status", "found_on", "deadline")
    list_filter = ("severity", "status", "category")
    search_fields = ("kindergarten__name", "description", "owner")
    list_select_related = ("kindergarten",)
    raw_id_fields = ("kindergarten", "opened_by")
    inlines = [HazardEventInline]


@admin.register(SupervisionLadder)
class SupervisionLadderAdmin(SimpleHistoryAdmin):
    list_display = ("name", "valid_from", "valid_to", "subdistrict_after_days", "bureau_after_days")


class SupervisionEventInline(admin.TabularInline):
    model = SupervisionEvent
    extra = 0
    readonly_fields = ("kind", "from_level", "to_level", "day", "reason", "by", "at")
    can_delete = False


class SupervisionInterviewInline(admin.StackedInline):
    model = SupervisionInterview
    extra = 0
    raw_id_fields = ("uploaded_by",)


class SupervisionNoticeInline(admin.StackedInline):
    model = SupervisionNotice
    extra = 0
    raw_id_fields = ("uploaded_by",)


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(SimpleHistoryAdmin):
    list_display = ("hazard", "level", "status", "issued_on", "closed_on")
    list_filter = ("level", "status")
    search_fields = ("hazard__kindergarten__name", "hazard__description")
    list_select_related = ("hazard__kindergarten",)
    raw_id_fields = ("hazard", "issued_by", "rectification_order")
    inlines = [SupervisionEventInline, SupervisionInterviewInline, SupervisionNoticeInline]
