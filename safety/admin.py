"""The admin site (administrators only): the rule set versions, profiles, drills, hazards, checklists and checks."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    CheckResult,
    Drill,
    Hazard,
    HazardEvent,
    SafetyCheck,
    SafetyProfile,
    SafetyRuleSet,
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


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("name", "frequency", "created_at")
    list_filter = ("frequency",)


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(SimpleHistoryAdmin):
    """Published versions refuse changes in the model; drafts are edited on the portal's pages."""

    list_display = ("template", "number", "status", "published_at")
    list_filter = ("status",)
    list_select_related = ("template",)
    inlines = [ChecklistItemInline]


class CheckResultInline(admin.TabularInline):
    model = CheckResult
    extra = 0
    readonly_fields = ("item", "outcome", "note", "hazard")
    can_delete = False


@admin.register(SafetyCheck)
class SafetyCheckAdmin(SimpleHistoryAdmin):
    list_display = ("kindergarten", "version", "kind", "status", "checked_on")
    list_filter = ("kind", "status")
    search_fields = ("kindergarten__name", "team")
    list_select_related = ("kindergarten", "version__template")
    raw_id_fields = ("kindergarten", "created_by", "submitted_by")
    inlines = [CheckResultInline]
