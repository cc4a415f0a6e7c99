"""Ethics pages: the records (warnings and violations) and the yearly self-checks, and their forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from django_filters.views import FilterView

from accounts.mixins import ScopedQuerysetMixin
from accounts.permissions import Act, may
from kindergartens.models import Kindergarten

from ..filtersets import EthicsRecordFilterSet
from ..forms import EthicsRecordForm, SelfCheckForm
from ..models import EthicsRecord, EthicsSelfCheck
from ..services import ethics_record_save, self_check_save


class EthicsListView(ScopedQuerysetMixin, FilterView):
    queryset = EthicsRecord.objects.select_related("person", "kindergarten", "conduct_case").order_by(
        "-occurred_on", "pk"
    )
    filterset_class = EthicsRecordFilterSet
    template_name = "staff/ethics_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, year = self.request.user, timezone.localdate().year
        checks = EthicsSelfCheck.objects.visible_to(user).select_related("kindergarten")
        context.update(
            year=year,
            checks=checks.filter(year__gte=year - 1).order_by("-year", "kindergarten__code")[:100],
            can_record=may(user, Act.ENFORCE),
            own_kindergarten=user.kindergarten_id if may(user, Act.FILL) else None,
        )
        return context


class EthicsRecordCreateView(LoginRequiredMixin, UserPassesTestMixin, FormView):
    form_class = EthicsRecordForm
    template_name = "staff/ethics_form.html"

    def test_func(self) -> bool:
        return may(self.request.user, Act.ENFORCE)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            ethics_record_save(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记师德师风记录。"))
        return redirect(reverse("staff:ethics_list"))


class SelfCheckView(LoginRequiredMixin, FormView):
    """A kindergarten's yearly self-check: its director, or the bureau."""

    form_class = SelfCheckForm
    template_name = "staff/ethics_self_check_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.kindergarten = get_object_or_404(Kindergarten.objects.visible_to(request.user), pk=kwargs["pk"])
            if not (may(request.user, Act.FILL, self.kindergarten) or may(request.user, Act.MANAGE)):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        today = timezone.localdate()
        return {"year": today.year, "completed_on": today}

    def get_context_data(self, **kwargs):
        return super().get_context_data(kindergarten=self.kindergarten, **kwargs)

    def form_valid(self, form):
        try:
            self_check_save(kindergarten=self.kindergarten, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已提交师德师风自查。"))
        return redirect(reverse("staff:ethics_list"))
