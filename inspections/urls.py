from django.urls import path

from . import views

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
]
