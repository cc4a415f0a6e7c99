"""Hazard pages: the list (one FilterSet with the API), a hazard and its loop, opening one, the
overdue list per sub-district, and the photos (served after the scope check)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.mixins import ScopedQuerysetMixin
from accounts.permissions import Act, may
from common.files import file_response
from kindergartens.models import Subdistrict

from ..ageing import overdue_ageing
from ..choices import HazardStatus, Severity
from ..filtersets import HazardFilterSet
from ..forms import HazardForm, HazardStepForm
from ..models import Hazard, HazardPhoto, SupervisionOrder
from ..services import hazard_close, hazard_open, hazard_send_back, hazard_start, hazard_submit
from ..tables import HazardTable


class HazardListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = Hazard.objects.select_related("kindergarten__subdistrict")
    filterset_class = HazardFilterSet
    table_class = HazardTable
    template_name = "safety/hazard_list.html"
    paginate_by = 25


class HazardDetailView(ScopedQuerysetMixin, DetailView):
    queryset = Hazard.objects.select_related("kindergarten__subdistrict", "opened_by")
    template_name = "safety/hazard_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hazard, user = self.object, self.request.user
        reports = may(user, Act.REPORT, hazard.kindergarten)
        verifies = may(user, Act.ENFORCE, hazard.kindergarten)
        context.update(
            events=hazard.events.select_related("by"),
            photos=hazard.photos.all(),
            can_start=reports and hazard.status == HazardStatus.OPEN,
            can_submit=reports and hazard.status in (HazardStatus.OPEN, HazardStatus.RECTIFYING),
            can_verify=verifies and hazard.status == HazardStatus.SUBMITTED,
            step_form=HazardStepForm(),
            overdue=hazard.is_overdue(),
            supervision=SupervisionOrder.objects.visible_to(user).filter(hazard=hazard).first(),
            can_open_supervision=verifies
            and hazard.severity == Severity.MAJOR
            and hazard.is_open
            and not SupervisionOrder.objects.filter(hazard=hazard).exists(),
        )
        return context


class HazardCreateView(LoginRequiredMixin, UserPassesTestMixin, FormView):
    accepts_uploads = True  # the upload body limit (common.limits)
    form_class = HazardForm
    template_name = "safety/hazard_form.html"

    def test_func(self) -> bool:
        return may(self.request.user, Act.ENFORCE)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = {"found_on": timezone.localdate()}
        if self.request.GET.get("kindergarten", "").isdigit():
            initial["kindergarten"] = int(self.request.GET["kindergarten"])
        return initial

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        photos = data.pop("photos")
        try:
            hazard = hazard_open(user=self.request.user, photos=photos, **data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记隐患，整改期限 %(day)s。") % {"day": hazard.deadline.isoformat()})
        return redirect(hazard)


STEPS = {
    "start": (hazard_start, _("已开始整改。")),
    "submit": (hazard_submit, _("已提交整改结果，等待验收。")),
    "close": (hazard_close, _("已验收销号。")),
    "send-back": (hazard_send_back, _("已退回重改。")),
}


class HazardStepView(LoginRequiredMixin, View):
    """One step of the loop (POST): the service checks who may take it and in which state."""

    accepts_uploads = True  # the upload body limit (common.limits)

    def post(self, request, pk: int, step: str) -> HttpResponse:
        hazard = get_object_or_404(Hazard.objects.visible_to(request.user), pk=pk)
        if step not in STEPS:
            return redirect(hazard)
        service, done = STEPS[step]
        form = HazardStepForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect(hazard)
        kwargs = {"hazard": hazard, "user": request.user, "note": form.cleaned_data["note"]}
        if step == "submit":
            kwargs["photos"] = form.cleaned_data["photos"]
        try:
            service(**kwargs)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(hazard)
        messages.success(request, done)
        return redirect(hazard)


class HazardOverdueView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """Overdue hazards, with their count per sub-district (the drill-down of `hazards_overdue`)."""

    filterset_class = HazardFilterSet
    table_class = HazardTable
    template_name = "safety/hazard_overdue.html"
    paginate_by = 50

    def get_queryset(self):
        overdue = Hazard.objects.visible_to(self.request.user).overdue(timezone.localdate())
        return overdue.select_related("kindergarten__subdistrict")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict(
            Hazard.objects.visible_to(self.request.user)
            .overdue(timezone.localdate())
            .values("kindergarten__subdistrict")
            .annotate(n=Count("pk"))
            .values_list("kindergarten__subdistrict", "n")
            .order_by()
        )
        areas = Subdistrict.objects.visible_to(self.request.user).filter(pk__in=counts)
        context["by_subdistrict"] = sorted(((a, counts[a.pk]) for a in areas), key=lambda pair: -pair[1])
        ageing = overdue_ageing(Hazard.objects.visible_to(self.request.user), timezone.localdate())
        context["ageing"] = ageing
        context["ageing_chart"] = {
            "buckets": [row.label for row in ageing],
            "series": [
                {"name": str(label), "severity": severity, "data": [row.counts[severity] for row in ageing]}
                for severity, label in Severity.choices
            ],
            "labels": {"hazards": str(_("隐患数"))},
        }
        context["severities"] = Severity.choices
        return context


class HazardPhotoView(LoginRequiredMixin, View):
    """A hazard's photo, to those who may see the hazard; to anyone else it does not exist."""

    def get(self, request, pk: int) -> HttpResponse:
        photo = get_object_or_404(HazardPhoto.objects.visible_to(request.user), pk=pk)
        return file_response(photo.file, filename=photo.original_name, content_type=photo.content_type)
