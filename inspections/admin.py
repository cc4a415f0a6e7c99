"""Admin: rating scales are edited here; everything else is maintained in the portal's own pages
(which go through the services) and is only viewed here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AssessmentPoint,
    ConductCase,
    CycleAssignment,
    EvaluationCycle,
    EvaluationTeam,
    ExternalEvaluation,
    ExternalRating,
    FrameworkVersion,
    IssueEvent,
    QualityIssue,
    RatingLevel,
    RatingScale,
    RectificationOrder,
    SelfAssessment,
    UnlicensedCase,
)


class ViewOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RatingLevelInline(admin.TabularInline):
    model = RatingLevel
    extra = 0


@admin.register(RatingScale)
class RatingScaleAdmin(SimpleHistoryAdmin):
    list_display = ("name", "source")
    inlines = [RatingLevelInline]

    def has_change_permission(self, request, obj=None) -> bool:
        # A scale used by a published handbook is part of past ratings' meaning.
        if obj is not None and obj.in_published_use():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.in_published_use():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(ViewOnlyAdmin):
    list_display = ("version", "name", "status", "is_demo", "published_at")
    list_filter = ("status", "is_demo")


@admin.register(AssessmentPoint)
class AssessmentPointAdmin(ViewOnlyAdmin):
    list_display = ("__str__", "key_indicator", "origin")
    list_filter = ("key_indicator__area__framework_version", "origin")
    list_select_related = ("key_indicator",)
    search_fields = ("text",)


@admin.register(EvaluationCycle)
class EvaluationCycleAdmin(ViewOnlyAdmin):
    list_display = ("name", "start_year", "end_year", "framework_version")


@admin.register(CycleAssignment)
class CycleAssignmentAdmin(ViewOnlyAdmin):
    list_display = ("kindergarten", "cycle", "planned_year", "self_assessment_due")
    list_filter = ("cycle", "planned_year")
    list_select_related = ("kindergarten", "cycle")
    search_fields = ("kindergarten__name", "kindergarten__code")


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ViewOnlyAdmin):
    list_display = ("kindergarten", "cycle", "version", "status", "due_date", "submitted_at")
    list_filter = ("cycle", "status")
    list_select_related = ("kindergarten", "cycle")
    search_fields = ("kindergarten__name", "kindergarten__code")


# --- supervisory (external) evaluation (view only: teams and evaluations are kept in the portal) --


@admin.register(EvaluationTeam)
class EvaluationTeamAdmin(ViewOnlyAdmin):
    list_display = ("name", "cycle", "leader", "note")
    list_filter = ("cycle",)
    list_select_related = ("cycle", "leader")
    filter_horizontal = ("members",)


class ExternalRatingInline(admin.TabularInline):
    model = ExternalRating
    fields = ("point", "level", "findings")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ExternalEvaluation)
class ExternalEvaluationAdmin(ViewOnlyAdmin):
    list_display = ("kindergarten", "cycle", "team", "visit_date", "status", "grade", "published_at")
    list_filter = ("cycle", "status", "grade")
    list_select_related = ("kindergarten", "cycle", "team")
    search_fields = ("kindergarten__name", "kindergarten__code")
    inlines = [ExternalRatingInline]


# --- conduct inspections and enforcement (view only: the portal's pages go through the services) ----


@admin.register(RectificationOrder)
class RectificationOrderAdmin(ViewOnlyAdmin):
    list_display = ("kindergarten", "reason", "issued_on", "deadline", "status")
    list_filter = ("status", "reason")
    list_select_related = ("kindergarten",)
    search_fields = ("kindergarten__name", "kindergarten__code")


@admin.register(UnlicensedCase)
class UnlicensedCaseAdmin(ViewOnlyAdmin):
    list_display = ("name", "subdistrict", "status", "discovered_on", "resolved_on")
    list_filter = ("status", "subdistrict")
    list_select_related = ("subdistrict",)
    search_fields = ("name", "address", "operator")


@admin.register(ConductCase)
class ConductCaseAdmin(ViewOnlyAdmin):
    list_display = ("__str__", "kind", "subdistrict", "status", "reported_on", "closed_on")
    list_filter = ("kind", "status", "subdistrict")
    list_select_related = ("subdistrict", "kindergarten")
    search_fields = ("institution_name", "kindergarten__name", "description")


# --- issue lists and improvement (view only: reports and verifications go through the services) ----


class IssueEventInline(admin.TabularInline):
    model = IssueEvent
    extra = 0
    can_delete = False
    fields = ("kind", "note", "created_at", "created_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QualityIssue)
class QualityIssueAdmin(ViewOnlyAdmin):
    list_display = ("kindergarten", "cycle", "point", "source", "deadline", "status")
    list_filter = ("status", "source", "cycle")
    list_select_related = ("kindergarten", "cycle", "point")
    search_fields = ("kindergarten__name", "kindergarten__code", "description")
    inlines = [IssueEventInline]
