"""Certificates of current staff that expire within the notice period, or have expired."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.mixins import ScopedQuerysetMixin

from ..filtersets import CertificateFilterSet
from ..models import StaffingStandard, StaffMember
from ..selectors import expired_certificates, expiring_certificates
from ..tables import CertificateTable

STATES = {"expiring": _("即将到期"), "expired": _("已过期")}


class CertificateExpiryView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    filterset_class = CertificateFilterSet
    table_class = CertificateTable
    template_name = "staff/certificate_expiry.html"
    paginate_by = 50

    @cached_property
    def state(self) -> str:
        return self.request.GET.get("state") if self.request.GET.get("state") in STATES else "expiring"

    @cached_property
    def notice_days(self) -> int:
        standard = StaffingStandard.objects.for_day(timezone.localdate())
        return standard.expiry_notice_days if standard else 0

    def get_queryset(self):
        day = timezone.localdate()
        rows = expiring_certificates(day, self.notice_days) if self.state == "expiring" else expired_certificates(day)
        posts = StaffMember.objects.visible_to(self.request.user).on(day)
        workplace = posts.filter(person=OuterRef("person")).order_by("-hired_on").values("kindergarten__name")[:1]
        return (
            rows.restrict(self.request.user)
            .filter(person__in=posts.values("person"))
            .select_related("person")
            .annotate(workplace=Subquery(workplace))
            .order_by("expires_on", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(state=self.state, states=STATES, notice_days=self.notice_days, **kwargs)
