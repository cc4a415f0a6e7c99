from django.urls import path

from . import views

app_name = "safety"

urlpatterns = [
    path("", views.SafetyIndexView.as_view(), name="index"),
    path("export/", views.SafetyProfileExportView.as_view(), name="profile_export"),
    path("import/", views.SafetyProfileImportView.as_view(), name="profile_import"),
    path("import/template/", views.SafetyProfileTemplateView.as_view(), name="profile_template"),
    path("rules/", views.SafetyRuleSetListView.as_view(), name="rules_list"),
    path("rules/new/", views.SafetyRuleSetCreateView.as_view(), name="rules_add"),
    path("rules/<int:pk>/", views.SafetyRuleSetDetailView.as_view(), name="rules_detail"),
    path("rules/<int:pk>/edit/", views.SafetyRuleSetEditView.as_view(), name="rules_edit"),
    path("kindergartens/<int:pk>/", views.SafetyProfileDetailView.as_view(), name="profile_detail"),
    path("kindergartens/<int:pk>/edit/", views.SafetyProfileEditView.as_view(), name="profile_edit"),
    path("kindergartens/<int:pk>/drills/new/", views.DrillCreateView.as_view(), name="drill_add"),
    path("hazards/", views.HazardListView.as_view(), name="hazard_list"),
    path("hazards/new/", views.HazardCreateView.as_view(), name="hazard_add"),
    path("hazards/export/", views.HazardExportView.as_view(), name="hazard_export"),
    path("hazards/overdue/", views.HazardOverdueView.as_view(), name="hazard_overdue"),
    path("hazards/<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("hazards/<int:pk>/<slug:step>/", views.HazardStepView.as_view(), name="hazard_step"),
    path("hazard-photos/<int:pk>/", views.HazardPhotoView.as_view(), name="hazard_photo"),
    # incidents and disputes, the footage register, peak-hour posts
    path("incidents/", views.IncidentListView.as_view(), name="incident_list"),
    path("incidents/new/", views.IncidentCreateView.as_view(), name="incident_add"),
    path("incidents/export/", views.IncidentExportView.as_view(), name="incident_export"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("incidents/<int:pk>/edit/", views.IncidentEditView.as_view(), name="incident_edit"),
    path("disputes/", views.DisputeListView.as_view(), name="dispute_list"),
    path("disputes/new/", views.DisputeCreateView.as_view(), name="dispute_add"),
    path("disputes/<int:pk>/", views.DisputeDetailView.as_view(), name="dispute_detail"),
    path("disputes/<int:pk>/edit/", views.DisputeEditView.as_view(), name="dispute_edit"),
    path("disputes/<int:pk>/mediations/", views.MediationCreateView.as_view(), name="mediation_add"),
    path("footage/", views.FootageListView.as_view(), name="footage_list"),
    path("footage/new/", views.FootageCreateView.as_view(), name="footage_add"),
    path("footage/<int:pk>/", views.FootageDetailView.as_view(), name="footage_detail"),
    path("footage/<int:pk>/edit/", views.FootageEditView.as_view(), name="footage_edit"),
    path("footage/<int:pk>/correct/", views.FootageCorrectView.as_view(), name="footage_correct"),
    path("footage/<int:pk>/<slug:step>/", views.FootageStepView.as_view(), name="footage_step"),
    path("posts/", views.SafetyPostListView.as_view(), name="post_list"),
    path("posts/new/", views.SafetyPostCreateView.as_view(), name="post_add"),
    path("posts/coverage/", views.PostCoverageView.as_view(), name="post_coverage"),
    path("posts/<int:pk>/edit/", views.SafetyPostEditView.as_view(), name="post_edit"),
]
