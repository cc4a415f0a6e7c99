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
    path("supervision/", views.SupervisionListView.as_view(), name="supervision_list"),
    path("supervision/new/<int:hazard>/", views.SupervisionOpenView.as_view(), name="supervision_open"),
    path("supervision/<int:pk>/", views.SupervisionDetailView.as_view(), name="supervision_detail"),
    path("supervision/<int:pk>/link/", views.SupervisionLinkView.as_view(), name="supervision_link"),
    path("supervision/<int:pk>/<slug:kind>/new/", views.SupervisionRecordView.as_view(), name="supervision_record"),
    path("supervision/files/<slug:kind>/<int:pk>/", views.SupervisionFileView.as_view(), name="supervision_file"),
]
