from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.views.generic import RedirectView

from .choices import Role


class HomeView(LoginRequiredMixin, RedirectView):
    """Sends each role to where its work starts."""

    def get_redirect_url(self, *args, **kwargs) -> str:
        user = self.request.user
        if user.role == Role.DIRECTOR and user.kindergarten_id and not user.is_superuser:
            return reverse("kindergartens:kindergarten_detail", args=[user.kindergarten_id])
        if user.role == Role.SUBDISTRICT_OFFICIAL and user.subdistrict_id and not user.is_superuser:
            return reverse("reports:subdistrict_dashboard", args=[user.subdistrict_id])
        if user.is_bureau:
            return reverse("reports:dashboard")
        return reverse("kindergartens:kindergarten_list")
