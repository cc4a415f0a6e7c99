"""Recognition pages: the list (one FilterSet with the API), the director's application, a
recognition with its steps, and the bureau's steps (POST; the services check who and when)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.mixins import ScopedQuerysetMixin
from accounts.permissions import Act, kindergartens_for, may

from ..choices import LIVE_RECOGNITION_STATUSES, RecognitionStatus
from ..filtersets import RecognitionFilterSet
from ..forms import RecognitionApplyForm, RecognitionStepForm
from ..models import Recognition, RecognitionPolicy
from ..selectors import warning_days
from ..services import (
    recognition_apply,
    recognition_recognise,
    recognition_record_opinion,
    recognition_reject,
    recognition_renew,
    recognition_review,
    recognition_revoke,
)
from ..services.recognitions import latest_evaluation
from ..tables import RecognitionTable
from .common import form_errors, report_errors


class RecognitionListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = Recognition.objects.select_related("kindergarten__subdistrict")
    filterset_class = RecognitionFilterSet
    table_class = RecognitionTable
    template_name = "governance/recognition_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_apply"] = may(self.request.user, Act.FILL)
        return context


class RecognitionApplyView(LoginRequiredMixin, UserPassesTestMixin, FormView):
    """The director's application for their own kindergarten (works on a phone)."""

    form_class = RecognitionApplyForm
    template_name = "governance/recognition_apply.html"

    def test_func(self) -> bool:
        return may(self.request.user, Act.FILL)

    def dispatch(self, request, *args, **kwargs):
        self.kindergarten = kindergartens_for(request.user, Act.FILL).select_related("subdistrict").first()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kindergarten = self.kindergarten
        context.update(
            kindergarten=kindergarten,
            evaluation=latest_evaluation(kindergarten) if kindergarten else None,
            policy=RecognitionPolicy.objects.for_day(timezone.localdate()),
            live=Recognition.objects.filter(kindergarten=kindergarten, status__in=LIVE_RECOGNITION_STATUSES).first()
            if kindergarten
            else None,
        )
        return context

    def form_valid(self, form):
        try:
            recognition = recognition_apply(kindergarten=self.kindergarten, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已提交普惠认定申请，等待街道意见和区教委审核。"))
        return redirect(recognition)


class RecognitionDetailView(ScopedQuerysetMixin, DetailView):
    queryset = Recognition.objects.select_related("kindergarten__subdistrict", "applied_by")
    template_name = "governance/recognition_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recognition, today = self.object, timezone.localdate()
        reviews = may(self.request.user, Act.REVIEW, recognition.kindergarten)
        status = recognition.status
        policy = RecognitionPolicy.objects.for_day(recognition.applied_on)
        conditions = policy.conditions if policy else []
        context.update(
            events=recognition.events.select_related("by"),
            checklist=[(c, c in recognition.conditions_met) for c in conditions],
            can_opinion=reviews and status == RecognitionStatus.APPLIED,
            can_decide=reviews and status == RecognitionStatus.AWAITING_REVIEW,
            can_reject=reviews and status in (RecognitionStatus.APPLIED, RecognitionStatus.AWAITING_REVIEW),
            can_maintain=reviews and status == RecognitionStatus.RECOGNISED,
            lapsed=recognition.lapsed_on(today),
            expiring=status == RecognitionStatus.RECOGNISED
            and recognition.days_left(today) is not None
            and recognition.days_left(today) <= warning_days(today),
            days_left=recognition.days_left(today),
            step_form=RecognitionStepForm(),
        )
        return context


def _opinion(recognition, user, data):
    return recognition_record_opinion(recognition=recognition, user=user, opinion=data["opinion"], note=data["note"])


def _recognise(recognition, user, data):
    return recognition_recognise(recognition=recognition, user=user, valid_from=data["day"], note=data["note"])


def _reject(recognition, user, data):
    return recognition_reject(recognition=recognition, user=user, note=data["note"])


def _review(recognition, user, data):
    passed = True if data["passed"] is None else data["passed"]
    return recognition_review(recognition=recognition, user=user, passed=passed, note=data["note"], day=data["day"])


def _renew(recognition, user, data):
    return recognition_renew(recognition=recognition, user=user, note=data["note"], day=data["day"])


def _revoke(recognition, user, data):
    return recognition_revoke(recognition=recognition, user=user, note=data["note"], day=data["day"])


STEPS = {
    "opinion": (_opinion, _("已录入街道意见。")),
    "recognise": (_recognise, _("已认定为普惠性民办园，幼儿园登记信息已同步更新。")),
    "reject": (_reject, _("已作出不予认定决定。")),
    "review": (_review, _("已记录年度复核。")),
    "renew": (_renew, _("已延续认定，幼儿园登记信息已同步更新。")),
    "revoke": (_revoke, _("已撤销认定，幼儿园登记信息已同步更新。")),
}


class RecognitionStepView(LoginRequiredMixin, View):
    """One bureau step (POST): the service checks who may take it and in which state."""

    def post(self, request, pk: int, step: str) -> HttpResponse:
        recognition = get_object_or_404(Recognition.objects.visible_to(request.user), pk=pk)
        if step not in STEPS:
            return redirect(recognition)
        form = RecognitionStepForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return redirect(recognition)
        service, done = STEPS[step]
        try:
            service(recognition, request.user, form.cleaned_data)
        except ValidationError as error:
            report_errors(request, error)
            return redirect(recognition)
        messages.success(request, done)
        return redirect(recognition)
