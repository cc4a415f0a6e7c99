from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("", views.StaffIndexView.as_view(), name="index"),
    path("members/", views.StaffMemberListView.as_view(), name="member_list"),
    path("members/export/", views.StaffExportView.as_view(), name="export"),
    path("import/", views.StaffImportView.as_view(), name="import"),
    path("import/template/", views.StaffTemplateView.as_view(), name="import_template"),
    path("members/<int:pk>/edit/", views.StaffMemberEditView.as_view(), name="member_edit"),
    path("kindergartens/<int:pk>/", views.KindergartenStaffView.as_view(), name="kindergarten"),
    path("kindergartens/<int:pk>/add/", views.StaffMemberCreateView.as_view(), name="member_add"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("people/<int:pk>/reveal/", views.IdRevealView.as_view(), name="id_reveal"),
    path("certificates/", views.CertificateExpiryView.as_view(), name="certificate_expiry"),
]
