"""The governance landing page: what needs attention, as far as the user may see."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.permissions import Act, kindergartens_for, may
from enrollment.models import SchoolYear
from kindergartens.choices import SponsorType

from ..choices import LIVE_RECOGNITION_STATUSES, AlertStatus
from ..models import FeeAlert, FeeFiling, Recognition
from ..selectors import warning_days
from .fees import may_file


class GovernanceIndexView(LoginRequiredMixin, TemplateView):
    template_name = "governance/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        recognitions = Recognition.objects.visible_to(user)
        year = SchoolYear.start_year_for(today)
        own = kindergartens_for(user, Act.FILL).first()
        own_recognition = recognitions.filter(kindergarten=own).first() if own else None
        context.update(
            by_status=dict(recognitions.values_list("status").annotate(n=Count("pk")).order_by()),
            expiring=recognitions.expiring(today, warning_days(today)).count(),
            open_alerts=FeeAlert.objects.visible_to(user).filter(status=AlertStatus.OPEN).count(),
            filings_this_year=FeeFiling.objects.visible_to(user).filter(school_year=year).count(),
            school_year=f"{year}-{year + 1}",
            own=own,
            own_recognition=own_recognition,
            own_filing=FeeFiling.objects.filter(kindergarten=own, school_year=year).first() if own else None,
            may_apply=own is not None
            and own.sponsor_type == SponsorType.PRIVATE_NONPROFIT
            and (own_recognition is None or own_recognition.status not in LIVE_RECOGNITION_STATUSES),
            may_file=may_file(user),
            reviews=may(user, Act.REVIEW),
        )
        return context
