from django.urls import path

from . import follow_up_views, map, views

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("subdistrict/<int:pk>/", views.DashboardView.as_view(), name="subdistrict_dashboard"),
    path("panels/<slug:name>/", views.DashboardPanelView.as_view(), name="dashboard_panel"),
    path("shortfall-map/", map.ShortfallMapView.as_view(), name="shortfall_map"),
    path("drilldown/<str:indicator>/", views.DrilldownView.as_view(), name="drilldown"),
    path("warnings/", views.WarningListView.as_view(), name="warning_list"),
    path("warnings/<int:pk>/", follow_up_views.WarningDetailView.as_view(), name="warning_detail"),
    path("warnings/export/", views.WarningExportView.as_view(), name="warning_export"),
    path("indicators/export/", views.IndicatorExportView.as_view(), name="indicator_export"),
    path("report/", views.ReportPdfView.as_view(), name="report_pdf"),
    path("runs/", views.RunListView.as_view(), name="run_list"),
    path("runs/compute/", views.ComputeNowView.as_view(), name="compute_now"),
    path("runs/status/", views.RunStatusView.as_view(), name="run_status"),
]
