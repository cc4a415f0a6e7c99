"""Every write to school years, classes, enrolment counts, submissions and population.

Pages, the API, the import command and the demo data all go through these functions, so the
rules live in one place; each change is recorded in the model's history with the user who made
it. One module per concern: `years`, `report` (a kindergarten's yearly report: working copy,
submission, corrections), `population`, `statistics` (the annual workbook and bulk writes).
"""

from .common import AGES, POPULATION_AGES, with_user
from .population import population_delete, population_save, population_set
from .report import (
    ClassRow,
    Report,
    ReportLocked,
    age_total_mismatch,
    correction_accept,
    enrollment_by_age_delete,
    enrollment_by_age_save,
    enrollment_report_save,
    ensure_editable,
    lock_reason,
    official_report,
    pending_reports,
    report_errors,
    school_class_delete,
    school_class_save,
    submission_return,
    working_report,
)
from .statistics import (
    AGE_FIELDS,
    CLASS_FIELDS,
    POPULATION_FIELDS,
    StatisticsImportResult,
    bulk_write,
    statistics_import,
)
from .years import school_year_create, school_year_lock, school_year_unlock, school_year_update

__all__ = [
    "AGES",
    "AGE_FIELDS",
    "CLASS_FIELDS",
    "POPULATION_AGES",
    "POPULATION_FIELDS",
    "ClassRow",
    "Report",
    "ReportLocked",
    "StatisticsImportResult",
    "age_total_mismatch",
    "bulk_write",
    "correction_accept",
    "enrollment_by_age_delete",
    "enrollment_by_age_save",
    "enrollment_report_save",
    "ensure_editable",
    "lock_reason",
    "official_report",
    "pending_reports",
    "population_delete",
    "population_save",
    "population_set",
    "report_errors",
    "school_class_delete",
    "school_class_save",
    "school_year_create",
    "school_year_lock",
    "school_year_unlock",
    "school_year_update",
    "statistics_import",
    "submission_return",
    "with_user",
    "working_report",
]
