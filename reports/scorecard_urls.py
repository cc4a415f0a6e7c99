"""The scorecard's pages, under /reports/scorecards/ (the dashboard's own URLs live in reports.urls)."""

from django.urls import path

from . import scorecard_views as views

app_name = "scorecards"

urlpatterns = [
    path("", views.ScorecardListView.as_view(), name="scorecard_list"),
    path("compute/", views.ScorecardComputeView.as_view(), name="scorecard_compute"),
    path("export/", views.ScorecardExportView.as_view(), name="scorecard_export"),
    path("<int:year>/publish/", views.ScorecardPublishView.as_view(), name="scorecard_publish"),
    path("<int:year>/<int:subdistrict>/", views.ScorecardDetailView.as_view(), name="scorecard_detail"),
]
