"""Enrolment pages, one module per concern: `report` (a kindergarten's yearly report and the
bureau's decisions), `tracker`, `years`, `population`, `statistics` (the workbook)."""

from .population import PopulationEditView, PopulationListView
from .report import (
    CorrectionAcceptView,
    CurrentReportView,
    EnrollmentReportView,
    MyReportView,
    SubmissionDecisionView,
    SubmissionReturnView,
)
from .statistics import StatisticsExportView, StatisticsImportView, StatisticsTemplateView
from .tracker import NonSubmitterExportView, SubmissionTrackerView
from .years import (
    SchoolYearCreateView,
    SchoolYearListView,
    SchoolYearLockView,
    SchoolYearUnlockView,
    SchoolYearUpdateView,
)

__all__ = [
    "CorrectionAcceptView",
    "CurrentReportView",
    "EnrollmentReportView",
    "MyReportView",
    "NonSubmitterExportView",
    "PopulationEditView",
    "PopulationListView",
    "SchoolYearCreateView",
    "SchoolYearListView",
    "SchoolYearLockView",
    "SchoolYearUnlockView",
    "SchoolYearUpdateView",
    "StatisticsExportView",
    "StatisticsImportView",
    "StatisticsTemplateView",
    "SubmissionDecisionView",
    "SubmissionReturnView",
    "SubmissionTrackerView",
]
