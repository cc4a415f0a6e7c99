from django.urls import path

from . import estate_views, map, views

app_name = "kindergartens"

urlpatterns = [
    path("", views.KindergartenListView.as_view(), name="kindergarten_list"),
    path("map.json", map.KindergartenMapDataView.as_view(), name="kindergarten_map_data"),
    path("new/", views.KindergartenCreateView.as_view(), name="kindergarten_add"),
    path("import/", views.KindergartenImportView.as_view(), name="kindergarten_import"),
    path("import/template/", views.KindergartenTemplateView.as_view(), name="kindergarten_template"),
    path("export/", views.KindergartenExportView.as_view(), name="kindergarten_export"),
    path("<int:pk>/", views.KindergartenDetailView.as_view(), name="kindergarten_detail"),
    path("<int:pk>/edit/", views.KindergartenUpdateView.as_view(), name="kindergarten_edit"),
    path("name-compliance/", views.NameComplianceReportView.as_view(), name="name_compliance_report"),
    path("estates/", estate_views.EstateBoardView.as_view(), name="estate_board"),
    path("estates/export/", estate_views.EstateExportView.as_view(), name="estate_export"),
    path("estates/<int:pk>/", estate_views.EstateDetailView.as_view(), name="estate_detail"),
    path("subdistricts/", views.SubdistrictListView.as_view(), name="subdistrict_list"),
    path("subdistricts/<int:pk>/", views.SubdistrictDetailView.as_view(), name="subdistrict_detail"),
]
