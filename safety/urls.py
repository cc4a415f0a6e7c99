from django.urls import path

from . import views

app_name = "safety"

urlpatterns = [
    path("", views.SafetyIndexView.as_view(), name="index"),
    path("kindergartens/<int:pk>/", views.SafetyProfileDetailView.as_view(), name="profile_detail"),
    path("kindergartens/<int:pk>/edit/", views.SafetyProfileEditView.as_view(), name="profile_edit"),
    path("kindergartens/<int:pk>/drills/new/", views.DrillCreateView.as_view(), name="drill_add"),
    path("hazards/", views.HazardListView.as_view(), name="hazard_list"),
    path("hazards/new/", views.HazardCreateView.as_view(), name="hazard_add"),
    path("hazards/overdue/", views.HazardOverdueView.as_view(), name="hazard_overdue"),
    path("hazards/<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("hazards/<int:pk>/<slug:step>/", views.HazardStepView.as_view(), name="hazard_step"),
    path("hazard-photos/<int:pk>/", views.HazardPhotoView.as_view(), name="hazard_photo"),
    path("checklists/", views.ChecklistListView.as_view(), name="checklist_list"),
    path("checklists/new/", views.ChecklistCreateView.as_view(), name="checklist_add"),
    path("checklists/<int:pk>/", views.ChecklistDetailView.as_view(), name="checklist_detail"),
    path("checklists/<int:pk>/edit/", views.ChecklistEditView.as_view(), name="checklist_edit"),
    path("checklist-versions/<int:pk>/", views.ChecklistVersionView.as_view(), name="checklist_version"),
    path(
        "checklist-versions/<int:pk>/<slug:step>/",
        views.ChecklistVersionStepView.as_view(),
        name="checklist_version_step",
    ),
    path(
        "checklist-versions/<int:version_pk>/items/new/",
        views.ChecklistItemFormView.as_view(),
        name="checklist_item_add",
    ),
    path("checklist-items/<int:pk>/edit/", views.ChecklistItemFormView.as_view(), name="checklist_item_edit"),
    path("checklist-items/<int:pk>/delete/", views.ChecklistItemDeleteView.as_view(), name="checklist_item_delete"),
    path("checks/", views.SafetyCheckListView.as_view(), name="check_list"),
    path("checks/new/", views.SafetyCheckCreateView.as_view(), name="check_add"),
    path("checks/<int:pk>/", views.SafetyCheckDetailView.as_view(), name="check_detail"),
    path("checks/<int:pk>/fill/", views.SafetyCheckFillView.as_view(), name="check_fill"),
    path("check-photos/<int:pk>/", views.CheckPhotoView.as_view(), name="check_photo"),
]
