from django.urls import path

from . import views
from .views import enforcement
from .views import evaluations as evaluation_views
from .views import issues as issue_views
from .views import results as result_views

app_name = "inspections"

urlpatterns = [
    path("", views.InspectionsIndexView.as_view(), name="index"),
    # the framework and the district handbook's versions
    path("frameworks/", views.FrameworkVersionListView.as_view(), name="framework_list"),
    path("frameworks/<int:pk>/", views.FrameworkVersionDetailView.as_view(), name="framework_detail"),
    path("frameworks/<int:pk>/edit/", views.FrameworkVersionUpdateView.as_view(), name="framework_edit"),
    path("frameworks/<int:pk>/copy/", views.FrameworkVersionCopyView.as_view(), name="framework_copy"),
    path("frameworks/<int:pk>/publish/", views.FrameworkVersionPublishView.as_view(), name="framework_publish"),
    path("frameworks/<int:pk>/delete/", views.FrameworkVersionDeleteView.as_view(), name="framework_delete"),
    path("frameworks/<int:pk>/points/new/", views.PointCreateView.as_view(), name="point_add"),
    path("frameworks/<int:pk>/points/import/", views.PointsImportView.as_view(), name="points_import"),
    path("frameworks/<int:pk>/points.xlsx", views.PointsExportView.as_view(), name="points_export"),
    path("points/<int:pk>/edit/", views.PointUpdateView.as_view(), name="point_edit"),
    path("points/<int:pk>/delete/", views.PointDeleteView.as_view(), name="point_delete"),
    path("points/<int:pk>/move/", views.PointMoveView.as_view(), name="point_move"),
    # the three-year cycle
    path("cycles/", views.EvaluationCycleListView.as_view(), name="cycle_list"),
    path("cycles/new/", views.EvaluationCycleCreateView.as_view(), name="cycle_add"),
    path("cycles/<int:pk>/", views.EvaluationCycleDetailView.as_view(), name="cycle_detail"),
    path("cycles/<int:pk>/edit/", views.EvaluationCycleUpdateView.as_view(), name="cycle_edit"),
    path("cycles/<int:pk>/assign/", views.CycleAssignView.as_view(), name="cycle_assign"),
    path("assignments/<int:pk>/edit/", views.CycleAssignmentUpdateView.as_view(), name="assignment_edit"),
    # self-assessments
    path("self-assessments/", views.SelfAssessmentListView.as_view(), name="self_assessment_list"),
    path("self-assessments/overdue/", views.SelfAssessmentOverdueView.as_view(), name="self_assessment_overdue"),
    path("self-assessments/mine/", views.MySelfAssessmentView.as_view(), name="self_assessment_mine"),
    path("self-assessments/start/", views.SelfAssessmentStartView.as_view(), name="self_assessment_start"),
    path("self-assessments/<int:pk>/", views.SelfAssessmentDetailView.as_view(), name="self_assessment_detail"),
    path("self-assessments/<int:pk>/edit/", views.SelfAssessmentEditView.as_view(), name="self_assessment_edit"),
    path("self-assessments/<int:pk>/review/", views.SelfAssessmentReviewView.as_view(), name="self_assessment_review"),
    path("self-assessments/<int:pk>/revise/", views.SelfAssessmentReviseView.as_view(), name="self_assessment_revise"),
    path(
        "self-assessments/<int:pk>/versions/",
        views.SelfAssessmentVersionsView.as_view(),
        name="self_assessment_versions",
    ),
    path("attachments/<int:pk>/", views.SelfAssessmentAttachmentView.as_view(), name="self_assessment_attachment"),
    path(
        "attachments/<int:pk>/delete/",
        views.SelfAssessmentAttachmentDeleteView.as_view(),
        name="self_assessment_attachment_delete",
    ),
    # supervisory (external) evaluation: teams, the visit record, review, comparison
    path("teams/", evaluation_views.EvaluationTeamListView.as_view(), name="team_list"),
    path("teams/new/", evaluation_views.EvaluationTeamCreateView.as_view(), name="team_add"),
    path("teams/<int:pk>/", evaluation_views.EvaluationTeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", evaluation_views.EvaluationTeamUpdateView.as_view(), name="team_edit"),
    path("teams/<int:pk>/assign/", evaluation_views.TeamAssignView.as_view(), name="team_assign"),
    path("evaluations/", evaluation_views.ExternalEvaluationListView.as_view(), name="external_evaluation_list"),
    path("evaluations/mine/", evaluation_views.MyEvaluationsView.as_view(), name="external_evaluation_mine"),
    path(
        "evaluations/<int:pk>/",
        evaluation_views.ExternalEvaluationDetailView.as_view(),
        name="external_evaluation_detail",
    ),
    path(
        "evaluations/<int:pk>/edit/",
        evaluation_views.ExternalEvaluationEditView.as_view(),
        name="external_evaluation_edit",
    ),
    path(
        "evaluations/<int:pk>/review/",
        evaluation_views.ExternalEvaluationReviewView.as_view(),
        name="external_evaluation_review",
    ),
    path(
        "evaluations/<int:pk>/compare/",
        evaluation_views.ExternalEvaluationCompareView.as_view(),
        name="external_evaluation_compare",
    ),
    path(
        "evaluations/attachments/<int:pk>/",
        evaluation_views.ExternalEvaluationAttachmentView.as_view(),
        name="external_evaluation_attachment",
    ),
    path(
        "evaluations/attachments/<int:pk>/delete/",
        evaluation_views.ExternalEvaluationAttachmentDeleteView.as_view(),
        name="external_evaluation_attachment_delete",
    ),
    # issue lists and improvement (问题清单 / 改进成效)
    path("issues/", issue_views.QualityIssueListView.as_view(), name="issue_list"),
    path("issues/overdue/", issue_views.QualityIssueOverdueView.as_view(), name="issue_overdue"),
    path("issues/new/", issue_views.QualityIssueCreateView.as_view(), name="issue_add"),
    path("issues/<int:pk>/", issue_views.QualityIssueDetailView.as_view(), name="issue_detail"),
    path("issues/<int:pk>/edit/", issue_views.QualityIssueEditView.as_view(), name="issue_edit"),
    path("issues/<int:pk>/report/", issue_views.IssueReportView.as_view(), name="issue_report"),
    path("issues/<int:pk>/verify/", issue_views.IssueVerifyView.as_view(), name="issue_verify"),
    path("issues/attachments/<int:pk>/", issue_views.IssueAttachmentView.as_view(), name="issue_attachment"),
    path(
        "issues/from/self-assessment/<int:pk>/",
        issue_views.IssuesFromSelfAssessmentView.as_view(),
        name="issue_from_self_assessment",
    ),
    path(
        "issues/from/external-evaluation/<int:pk>/",
        issue_views.IssuesFromExternalEvaluationView.as_view(),
        name="issue_from_external_evaluation",
    ),
    path("trajectory/<int:pk>/", issue_views.TrajectoryView.as_view(), name="trajectory"),
    # use of results: district overview, xlsx export, a kindergarten's evaluation report as PDF
    path("results/", result_views.ResultsOverviewView.as_view(), name="results_overview"),
    path("results/export.xlsx", result_views.ResultsExportView.as_view(), name="results_export"),
    path(
        "results/evaluations/<int:pk>/report.pdf",
        result_views.EvaluationReportPdfView.as_view(),
        name="evaluation_report_pdf",
    ),
    # conduct inspections and enforcement
    path("orders/", enforcement.RectificationOrderListView.as_view(), name="order_list"),
    path("orders/new/", enforcement.RectificationOrderCreateView.as_view(), name="order_add"),
    path("orders/<int:pk>/", enforcement.RectificationOrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/edit/", enforcement.RectificationOrderUpdateView.as_view(), name="order_edit"),
    path("orders/<int:pk>/follow-up/", enforcement.OrderFollowUpView.as_view(), name="order_follow_up"),
    path("orders/<int:pk>/rectify/", enforcement.OrderRectifyView.as_view(), name="order_rectify"),
    path("orders/<int:pk>/penalise/", enforcement.OrderPenaliseView.as_view(), name="order_penalise"),
    path("unlicensed/", enforcement.UnlicensedCaseListView.as_view(), name="unlicensed_case_list"),
    path("unlicensed/new/", enforcement.UnlicensedCaseCreateView.as_view(), name="unlicensed_case_add"),
    path("unlicensed/<int:pk>/", enforcement.UnlicensedCaseDetailView.as_view(), name="unlicensed_case_detail"),
    path("unlicensed/<int:pk>/edit/", enforcement.UnlicensedCaseUpdateView.as_view(), name="unlicensed_case_edit"),
    path(
        "unlicensed/<int:pk>/transition/",
        enforcement.UnlicensedCaseTransitionView.as_view(),
        name="unlicensed_case_transition",
    ),
    path("conduct-cases/", enforcement.ConductCaseListView.as_view(), name="conduct_case_list"),
    path("conduct-cases/new/", enforcement.ConductCaseCreateView.as_view(), name="conduct_case_add"),
    path("conduct-cases/<int:pk>/", enforcement.ConductCaseDetailView.as_view(), name="conduct_case_detail"),
    path("conduct-cases/<int:pk>/edit/", enforcement.ConductCaseUpdateView.as_view(), name="conduct_case_edit"),
    path("conduct-cases/<int:pk>/close/", enforcement.ConductCaseCloseView.as_view(), name="conduct_case_close"),
]
