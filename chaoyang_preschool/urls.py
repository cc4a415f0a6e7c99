from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .home import HomeView


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page links; send them to the static SVG."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("favicon.svg")


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("kindergartens/", include("kindergartens.urls")),
    path("enrollment/", include("enrollment.urls")),
    path("dashboard/", include("reports.urls")),
    path("reports/scorecards/", include("reports.scorecard_urls")),
    path("inspections/", include("inspections.urls")),
    # No login: kindergartens and their published evaluation results.
    path("public/", include("public.urls")),
    path("staff/", include("staff.urls")),
    path("safety/", include("safety.urls")),
    path("governance/", include("governance.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("chaoyang_preschool.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Signed-in users only (SERVE_PERMISSIONS for the schema; the page sends a browser to the login).
    path(
        "api/docs/",
        # The split view serves its start-up script from ?script, so the page has no inline script (CSP).
        login_required(SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html")),
        name="api_docs",
    ),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
]
