from django.urls import path

from . import views

app_name = "enrollment"

urlpatterns = [
    path("", views.MyReportView.as_view(), name="mine"),
    path("tracker/", views.SubmissionTrackerView.as_view(), name="tracker"),
    path("tracker/non-submitters.xlsx", views.NonSubmitterExportView.as_view(), name="non_submitter_export"),
    path("report/<int:kindergarten_pk>/", views.CurrentReportView.as_view(), name="current_report"),
    path("report/<int:kindergarten_pk>/<int:start_year>/", views.EnrollmentReportView.as_view(), name="report"),
    path(
        "report/<int:kindergarten_pk>/<int:start_year>/return/",
        views.SubmissionReturnView.as_view(),
        name="submission_return",
    ),
    path(
        "report/<int:kindergarten_pk>/<int:start_year>/accept/",
        views.CorrectionAcceptView.as_view(),
        name="correction_accept",
    ),
    path("years/", views.SchoolYearListView.as_view(), name="schoolyear_list"),
    path("years/new/", views.SchoolYearCreateView.as_view(), name="schoolyear_add"),
    path("years/<int:start_year>/edit/", views.SchoolYearUpdateView.as_view(), name="schoolyear_edit"),
    path("years/<int:start_year>/lock/", views.SchoolYearLockView.as_view(), name="schoolyear_lock"),
    path("years/<int:start_year>/unlock/", views.SchoolYearUnlockView.as_view(), name="schoolyear_unlock"),
    path("statistics/import/", views.StatisticsImportView.as_view(), name="statistics_import"),
    path("statistics/template.xlsx", views.StatisticsTemplateView.as_view(), name="statistics_template"),
    path("statistics/export.xlsx", views.StatisticsExportView.as_view(), name="statistics_export"),
    path("population/", views.PopulationListView.as_view(), name="population_list"),
    path(
        "population/<int:subdistrict_pk>/<int:year>/edit/", views.PopulationEditView.as_view(), name="population_edit"
    ),
]
