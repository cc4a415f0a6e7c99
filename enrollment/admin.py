"""Admin for enrolment data. Class-size limits are policy data the bureau edits here (domain.md §2)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ChildPopulation,
    ClassSizeLimit,
    EnrollmentByAge,
    EnrollmentSubmission,
    ForecastSetting,
    SchoolClass,
    SchoolYear,
)


@admin.register(SchoolYear)
class SchoolYearAdmin(SimpleHistoryAdmin):
    list_display = ("start_year", "submission_due", "statistics_date", "locked", "locked_at", "locked_by")
    list_filter = ("locked",)


@admin.register(ClassSizeLimit)
class ClassSizeLimitAdmin(SimpleHistoryAdmin):
    list_display = ("class_type", "max_children", "valid_from", "valid_to", "source")
    list_filter = ("class_type",)


@admin.register(SchoolClass)
class SchoolClassAdmin(SimpleHistoryAdmin):
    list_display = ("kindergarten", "school_year", "class_type", "name", "approved_size", "enrolled")
    list_filter = ("school_year", "class_type")
    search_fields = ("kindergarten__code", "kindergarten__name", "name")
    list_select_related = ("kindergarten", "school_year")
    raw_id_fields = ("kindergarten",)


@admin.register(EnrollmentByAge)
class EnrollmentByAgeAdmin(SimpleHistoryAdmin):
    list_display = ("kindergarten", "school_year", "age", "children")
    list_filter = ("school_year", "age")
    search_fields = ("kindergarten__code", "kindergarten__name")
    list_select_related = ("kindergarten", "school_year")
    raw_id_fields = ("kindergarten",)


@admin.register(EnrollmentSubmission)
class EnrollmentSubmissionAdmin(SimpleHistoryAdmin):
    list_display = ("kindergarten", "school_year", "status", "submitted_at", "submitted_by")
    list_filter = ("school_year", "status")
    search_fields = ("kindergarten__code", "kindergarten__name")
    list_select_related = ("kindergarten", "school_year", "submitted_by")
    raw_id_fields = ("kindergarten", "submitted_by")
    # Drafts, submissions and corrections move only through the report's services (page or API).
    readonly_fields = ("status", "draft", "submitted_at", "submitted_by")


@admin.register(ChildPopulation)
class ChildPopulationAdmin(SimpleHistoryAdmin):
    list_display = ("subdistrict", "year", "age", "basis", "children")
    list_filter = ("year", "basis", "subdistrict")
    list_select_related = ("subdistrict",)


@admin.register(ForecastSetting)
class ForecastSettingAdmin(SimpleHistoryAdmin):
    list_display = ("subdistrict", "migration_factor")
    list_select_related = ("subdistrict",)
