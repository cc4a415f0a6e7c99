"""Credit record pages: the list (filtered by level) and its export, a record with its events,
level history, appeals and exit; the refresh, a commendation, an appeal and its decision, the exit."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.mixins import ScopedQuerysetMixin
from accounts.permissions import Act, may, require
from common.spreadsheets import xlsx_response

from ..choices import CreditEventStatus, CreditLevel, CreditSubject
from ..filtersets import CreditRecordFilterSet
from ..forms import CreditAppealDecisionForm, CreditAppealForm, CreditCommendForm, CreditExitForm
from ..models import CreditAppeal, CreditEvent, CreditRecord, CreditRule
from ..services import credit_appeal_decide, credit_appeal_file, credit_commend, credit_exit, credit_refresh
from ..spreadsheets_credit import credit_record_sheet
from ..tables.credit import CreditRecordTable
from .common import form_errors, report_errors


class CreditRecordListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = CreditRecord.objects.select_related("kindergarten__subdistrict")
    filterset_class = CreditRecordFilterSet
    table_class = CreditRecordTable
    template_name = "governance/credit_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["may_refresh"] = may(user, Act.MANAGE)
        context["counts"] = CreditRecord.objects.visible_to(user).aggregate(
            **{level: Count("pk", filter=Q(level=level)) for level in CreditLevel.values}
        )
        context["rule"] = CreditRule.objects.for_day(timezone.localdate())
        return context


class CreditExportView(LoginRequiredMixin, View):
    """The filtered records the user may see, as xlsx (through the same FilterSet and scope)."""

    def get(self, request) -> HttpResponse:
        queryset = (
            CreditRecord.objects.visible_to(request.user)
            .select_related("kindergarten__subdistrict")
            .annotate(active_events=Count("events", filter=Q(events__status=CreditEventStatus.ACTIVE)))
        )
        records = CreditRecordFilterSet(request.GET, queryset=queryset, request=request).qs
        with translation.override(settings.LANGUAGE_CODE):
            return xlsx_response(
                str(_("信用档案.xlsx")), [credit_record_sheet(records)], fallback="credit-records.xlsx"
            )


class CreditRefreshView(LoginRequiredMixin, View):
    """Bureau staff run the daily refresh now (it is idempotent)."""

    def post(self, request) -> HttpResponse:
        require(request.user, Act.MANAGE)
        try:
            drawn = credit_refresh(user=request.user)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("信用档案已更新，新增 %(n)s 条信用事件。") % {"n": drawn})
        return redirect("governance:credit_list")


class CreditRecordDetailView(ScopedQuerysetMixin, DetailView):
    queryset = CreditRecord.objects.select_related("kindergarten__subdistrict", "rule")
    template_name = "governance/credit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record, user = self.object, self.request.user
        kindergarten = record.kindergarten
        rule = record.rule or CreditRule.objects.for_day(timezone.localdate())
        appeals = CreditAppeal.objects.select_related("filed_by", "decided_by").order_by("-filed_on", "-pk")
        events = list(
            CreditEvent.objects.filter(record=record)
            .select_related("recorded_by")
            .prefetch_related(Prefetch("appeals", queryset=appeals))
        )
        for event in events:
            points = [(s.label, rule.points_for(event.kind, s)) for s in CreditSubject] if rule else []
            event.point_items = [(label, p) for label, p in points if p]
            event.appealed = bool(event.appeals.all())  # one appeal an event (credit_appeal_file)
        may_appeal = may(user, Act.APPEAL, kindergarten)
        may_decide = may(user, Act.REVIEW, kindergarten)
        exits = list(record.exits.prefetch_related("transfers__receiving__subdistrict").select_related("decided_by"))
        context.update(
            rule=rule,
            in_window_from=rule.window_start(record.computed_on) if rule and record.computed_on else None,
            events=events,
            changes=record.level_changes.select_related("rule").order_by("-day", "-pk")[:30],
            appeals=[a for e in events for a in e.appeals.all()],
            exits=exits,
            may_appeal=may_appeal,
            may_decide=may_decide,
            may_exit=may(user, Act.MANAGE, kindergarten) and record.level == CreditLevel.D and not exits,
            appeal_form=CreditAppealForm(),
            decision_form=CreditAppealDecisionForm(),
            commend_form=CreditCommendForm(),
        )
        return context


class CreditCommendView(LoginRequiredMixin, View):
    def post(self, request, pk: int) -> HttpResponse:
        record = get_object_or_404(CreditRecord.objects.visible_to(request.user).select_related("kindergarten"), pk=pk)
        form = CreditCommendForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return redirect(record)
        try:
            credit_commend(record=record, user=request.user, detail=form.cleaned_data["detail"])
        except ValidationError as error:
            report_errors(request, error)
            return redirect(record)
        messages.success(request, _("表彰已记入信用档案。"))
        return redirect(record)


class CreditAppealFileView(LoginRequiredMixin, View):
    def post(self, request, pk: int) -> HttpResponse:
        event = get_object_or_404(CreditEvent.objects.visible_to(request.user).select_related("record"), pk=pk)
        form = CreditAppealForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return redirect(event.record)
        try:
            credit_appeal_file(event=event, user=request.user, grounds=form.cleaned_data["grounds"])
        except ValidationError as error:
            report_errors(request, error)
            return redirect(event.record)
        messages.success(request, _("申诉已提交，等待区教委处理。"))
        return redirect(event.record)


class CreditAppealDecideView(LoginRequiredMixin, View):
    def post(self, request, pk: int) -> HttpResponse:
        appeal = get_object_or_404(CreditAppeal.objects.visible_to(request.user).select_related("event__record"), pk=pk)
        record = appeal.event.record
        form = CreditAppealDecisionForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return redirect(record)
        upheld = form.cleaned_data["outcome"] == "upheld"
        try:
            credit_appeal_decide(appeal=appeal, user=request.user, upheld=upheld, note=form.cleaned_data["note"])
        except ValidationError as error:
            report_errors(request, error)
            return redirect(record)
        record.refresh_from_db()
        if upheld:
            messages.success(
                request, _("申诉成立，事件已撤销；幼儿园信用等级现为 %(level)s。") % {"level": record.level}
            )
        else:
            messages.success(request, _("申诉不成立，事件保留。"))
        return redirect(record)


class CreditExitView(LoginRequiredMixin, FormView):
    """Suspension or closure of a D-level kindergarten, with the transfer plan of its children."""

    form_class = CreditExitForm
    template_name = "governance/credit_exit_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.record = get_object_or_404(
            CreditRecord.objects.visible_to(request.user).select_related("kindergarten__subdistrict"), pk=kwargs["pk"]
        )
        if not may(request.user, Act.MANAGE, self.record.kindergarten):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "kindergarten": self.record.kindergarten}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "record": self.record}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            credit_exit(
                record=self.record,
                user=self.request.user,
                kind=data["kind"],
                effective_on=data["effective_on"],
                reason=data["reason"],
                children_to_place=data["children_to_place"],
                transfers=data["transfers"],
            )
        except ValidationError as error:
            for message in error.messages:  # the plan's errors are not tied to one field of the form
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("退出处置和分流方案已记录。"))
        return redirect(self.record)
