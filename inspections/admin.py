"""Admin: rating scales are edited here; everything else is maintained in the portal's own pages
(which go through the services) and is only viewed here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AssessmentPoint,
    CycleAssignment,
    EvaluationCycle,
    FrameworkVersion,
    RatingLevel,
    RatingScale,
    SelfAssessment,
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
