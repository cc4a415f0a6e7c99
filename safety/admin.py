"""The admin site (administrators only): the rule set and ladder versions, profiles, drills, hazards
and supervision, checklists and checks, incidents and disputes, the footage register (read-only),
posts and the peak-hour rule."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    CheckResult,
    Dispute,
    Drill,
    FootageHandover,
    FootageRequest,
    Hazard,
    HazardEvent,
    Incident,
    Mediation,
    PeakHourRule,
    SafetyCheck,
    SafetyPost,
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


# --- incidents, disputes, the footage register, posts ---------------------------------------------


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = ("kindergarten", "occurred_at", "place", "child_initials", "severity", "status", "resolved_on")
    list_filter = ("severity", "status", "insurance_status")
    search_fields = ("kindergarten__name", "place")
    list_select_related = ("kindergarten",)
    raw_id_fields = ("kindergarten", "recorded_by")


class MediationInline(admin.TabularInline):
    model = Mediation
    extra = 0
    raw_id_fields = ("recorded_by",)


@admin.register(Dispute)
class DisputeAdmin(SimpleHistoryAdmin):
    list_display = ("kindergarten", "raised_on", "subject", "status", "resolved_on")
    list_filter = ("status",)
    search_fields = ("kindergarten__name", "subject")
    list_select_related = ("kindergarten",)
    raw_id_fields = ("kindergarten", "incident", "recorded_by")
    inlines = [MediationInline]


class FootageHandoverInline(admin.StackedInline):
    """Read-only: a hand-over is recorded once, on the entry's page, and never changed."""

    model = FootageHandover
    extra = 0
    can_delete = False
    readonly_fields = ("copied", "handed_to", "handed_at", "recorded_by", "created_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FootageRequest)
class FootageRequestAdmin(SimpleHistoryAdmin):
    """The register is read-only here: entries are recorded and decided on the portal's pages,
    and a decided entry may not change anywhere (the model refuses too)."""

    list_display = ("kindergarten", "access", "requester_org", "requested_at", "status", "decided_at")
    list_filter = ("status", "access")
    search_fields = ("kindergarten__name", "requester_name", "requester_org")
    list_select_related = ("kindergarten",)
    inlines = [FootageHandoverInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SafetyPost)
class SafetyPostAdmin(SimpleHistoryAdmin):
    list_display = ("kindergarten", "kind", "start_time", "end_time", "people", "active")
    list_filter = ("kind", "active")
    search_fields = ("kindergarten__name", "people")
    list_select_related = ("kindergarten",)
    raw_id_fields = ("kindergarten",)


@admin.register(PeakHourRule)
class PeakHourRuleAdmin(SimpleHistoryAdmin):
    list_display = ("name", "valid_from", "valid_to", "morning_peak_start", "morning_peak_end", "school_days")


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
