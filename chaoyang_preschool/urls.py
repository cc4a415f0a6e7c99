from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts import views as account_views

urlpatterns = [
    path("", account_views.HomeView.as_view(), name="home"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("kindergartens/", include("kindergartens.urls")),
    path("enrollment/", include("enrollment.urls")),
    path("dashboard/", include("reports.urls")),
    path("inspections/", include("inspections.urls")),
    # No login: kindergartens and their published evaluation results.
    path("public/", include("inspections.public_urls")),
    path("safety/", include("safety.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("chaoyang_preschool.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
]
