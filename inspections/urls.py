"""The pages of quality evaluation by URL name, grouped by sub-domain; each view is named by its module."""

from django.urls import path

from .views import common, cycles, enforcement, evaluations, framework, issues, order_answers, results, self_assessments

app_name = "inspections"

urlpatterns = [
    path("", common.InspectionsIndexView.as_view(), name="index"),
    # the framework and the district handbook's versions
    path("frameworks/", framework.FrameworkVersionListView.as_view(), name="framework_list"),
    path("frameworks/<int:pk>/", framework.FrameworkVersionDetailView.as_view(), name="framework_detail"),
    path("frameworks/<int:pk>/edit/", framework.FrameworkVersionUpdateView.as_view(), name="framework_edit"),
    path("frameworks/<int:pk>/copy/", framework.FrameworkVersionCopyView.as_view(), name="framework_copy"),
    path("frameworks/<int:pk>/publish/", framework.FrameworkVersionPublishView.as_view(), name="framework_publish"),
    path("frameworks/<int:pk>/delete/", framework.FrameworkVersionDeleteView.as_view(), name="framework_delete"),
    path("frameworks/<int:pk>/points/new/", framework.PointCreateView.as_view(), name="point_add"),
    path("frameworks/<int:pk>/points/import/", framework.PointsImportView.as_view(), name="points_import"),
    path("frameworks/<int:pk>/points.xlsx", framework.PointsExportView.as_view(), name="points_export"),
    path("points/<int:pk>/edit/", framework.PointUpdateView.as_view(), name="point_edit"),
    path("points/<int:pk>/delete/", framework.PointDeleteView.as_view(), name="point_delete"),
    path("points/<int:pk>/move/", framework.PointMoveView.as_view(), name="point_move"),
    # the three-year cycle
    path("cycles/", cycles.EvaluationCycleListView.as_view(), name="cycle_list"),
    path("cycles/new/", cycles.EvaluationCycleCreateView.as_view(), name="cycle_add"),
    path("cycles/<int:pk>/", cycles.EvaluationCycleDetailView.as_view(), name="cycle_detail"),
    path("cycles/<int:pk>/edit/", cycles.EvaluationCycleUpdateView.as_view(), name="cycle_edit"),
    path("cycles/<int:pk>/assign/", cycles.CycleAssignView.as_view(), name="cycle_assign"),
    path("assignments/<int:pk>/edit/", cycles.CycleAssignmentUpdateView.as_view(), name="assignment_edit"),
    # self-assessments
    path("self-assessments/", self_assessments.SelfAssessmentListView.as_view(), name="self_assessment_list"),
    path(
        "self-assessments/overdue/",
        self_assessments.SelfAssessmentOverdueView.as_view(),
        name="self_assessment_overdue",
    ),
    path("self-assessments/mine/", self_assessments.MySelfAssessmentView.as_view(), name="self_assessment_mine"),
    path("self-assessments/start/", self_assessments.SelfAssessmentStartView.as_view(), name="self_assessment_start"),
    path(
        "self-assessments/<int:pk>/", self_assessments.SelfAssessmentDetailView.as_view(), name="self_assessment_detail"
    ),
    path(
        "self-assessments/<int:pk>/edit/",
        self_assessments.SelfAssessmentEditView.as_view(),
        name="self_assessment_edit",
    ),
    path(
        "self-assessments/<int:pk>/review/",
        self_assessments.SelfAssessmentReviewView.as_view(),
        name="self_assessment_review",
    ),
    path(
        "self-assessments/<int:pk>/revise/",
        self_assessments.SelfAssessmentReviseView.as_view(),
        name="self_assessment_revise",
    ),
    path(
        "self-assessments/<int:pk>/versions/",
        self_assessments.SelfAssessmentVersionsView.as_view(),
        name="self_assessment_versions",
    ),
    path(
        "attachments/<int:pk>/",
        self_assessments.SelfAssessmentAttachmentView.as_view(),
        name="self_assessment_attachment",
    ),
    path(
        "attachments/<int:pk>/delete/",
        self_assessments.SelfAssessmentAttachmentDeleteView.as_view(),
        name="self_assessment_attachment_delete",
    ),
    # supervisory (external) evaluation: teams, the visit record, review, comparison
    path("teams/", evaluations.EvaluationTeamListView.as_view(), name="team_list"),
    path("teams/new/", evaluations.EvaluationTeamCreateView.as_view(), name="team_add"),
    path("teams/<int:pk>/", evaluations.EvaluationTeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", evaluations.EvaluationTeamUpdateView.as_view(), name="team_edit"),
    path("teams/<int:pk>/assign/", evaluations.TeamAssignView.as_view(), name="team_assign"),
    path("evaluations/", evaluations.ExternalEvaluationListView.as_view(), name="external_evaluation_list"),
    path("evaluations/mine/", evaluations.MyEvaluationsView.as_view(), name="external_evaluation_mine"),
    path(
        "evaluations/<int:pk>/",
        evaluations.ExternalEvaluationDetailView.as_view(),
        name="external_evaluation_detail",
    ),
    path(
        "evaluations/<int:pk>/edit/",
        evaluations.ExternalEvaluationEditView.as_view(),
        name="external_evaluation_edit",
    ),
    path(
        "evaluations/<int:pk>/review/",
        evaluations.ExternalEvaluationReviewView.as_view(),
        name="external_evaluation_review",
    ),
    path(
        "evaluations/<int:pk>/compare/",
        evaluations.ExternalEvaluationCompareView.as_view(),
        name="external_evaluation_compare",
    ),
    path(
        "evaluations/attachments/<int:pk>/",
        evaluations.ExternalEvaluationAttachmentView.as_view(),
        name="external_evaluation_attachment",
    ),
    path(
        "evaluations/attachments/<int:pk>/delete/",
        evaluations.ExternalEvaluationAttachmentDeleteView.as_view(),
        name="external_evaluation_attachment_delete",
    ),
    # issue lists and improvement (问题清单 / 改进成效)
    path("issues/", issues.QualityIssueListView.as_view(), name="issue_list"),
    path("issues/overdue/", issues.QualityIssueOverdueView.as_view(), name="issue_overdue"),
    path("issues/new/", issues.QualityIssueCreateView.as_view(), name="issue_add"),
    path("issues/<int:pk>/", issues.QualityIssueDetailView.as_view(), name="issue_detail"),
    path("issues/<int:pk>/edit/", issues.QualityIssueEditView.as_view(), name="issue_edit"),
    path("issues/<int:pk>/report/", issues.IssueReportView.as_view(), name="issue_report"),
    path("issues/<int:pk>/verify/", issues.IssueVerifyView.as_view(), name="issue_verify"),
    path("issues/attachments/<int:pk>/", issues.IssueAttachmentView.as_view(), name="issue_attachment"),
    path(
        "issues/from/self-assessment/<int:pk>/",
        issues.IssuesFromSelfAssessmentView.as_view(),
        name="issue_from_self_assessment",
    ),
    path(
        "issues/from/external-evaluation/<int:pk>/",
        issues.IssuesFromExternalEvaluationView.as_view(),
        name="issue_from_external_evaluation",
    ),
    path("trajectory/<int:pk>/", issues.TrajectoryView.as_view(), name="trajectory"),
    # use of results: district overview, xlsx export, a kindergarten's evaluation report as PDF
    path("results/", results.ResultsOverviewView.as_view(), name="results_overview"),
    path("results/export.xlsx", results.ResultsExportView.as_view(), name="results_export"),
    path(
        "results/evaluations/<int:pk>/report.pdf",
        results.EvaluationReportPdfView.as_view(),
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
    path("orders/<int:pk>/answer/", order_answers.OrderAnswerView.as_view(), name="order_answer"),
    path("orders/<int:pk>/answer/accept/", order_answers.OrderAnswerAcceptView.as_view(), name="order_answer_accept"),
    path(
        "orders/<int:pk>/answer/send-back/",
        order_answers.OrderAnswerSendBackView.as_view(),
        name="order_answer_send_back",
    ),
    path("orders/files/<int:pk>/", order_answers.OrderAnswerFileView.as_view(), name="order_answer_file"),
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
