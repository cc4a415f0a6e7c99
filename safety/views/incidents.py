"""Incident and dispute pages: lists (one FilterSet each with the API), a record's page, forms,
mediation sessions, and the xlsx export of incidents (same FilterSet, same scope)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.history import history_entries
from accounts.mixins import ScopedQuerysetMixin
from common.spreadsheets import Sheet, xlsx_response
from common.spreadsheets.columns import IntegerColumn, TextColumn

from ..filtersets import DisputeFilterSet, IncidentFilterSet
from ..forms import DisputeForm, IncidentForm, MediationForm, keepable_kindergartens
from ..models import Dispute, Incident
from ..services import (
    dispute_record,
    dispute_update,
    incident_record,
    incident_update,
    may_keep_profile,
    mediation_record,
)
from ..tables import DisputeTable, IncidentTable
from .records import RecordFormView


class IncidentListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = Incident.objects.select_related("kindergarten__subdistrict")
    filterset_class = IncidentFilterSet
    table_class = IncidentTable
    template_name = "safety/incident_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_record=keepable_kindergartens(self.request.user).exists(), **kwargs)


class IncidentDetailView(ScopedQuerysetMixin, DetailView):
    queryset = Incident.objects.select_related("kindergarten__subdistrict", "recorded_by")
    template_name = "safety/incident_detail.html"

    def get_context_data(self, **kwargs):
        incident = self.object
        return super().get_context_data(
            can_keep=may_keep_profile(self.request.user, incident.kindergarten),
            disputes=Dispute.objects.visible_to(self.request.user).filter(incident=incident),
            history=history_entries(incident),
            **kwargs,
        )


class IncidentCreateView(RecordFormView):
    form_class = IncidentForm
    title = gettext_lazy("登记伤害事故")
    done = gettext_lazy("已登记事故。")
    list_url = reverse_lazy("safety:incident_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}

    def save(self, form):
        data = dict(form.cleaned_data)
        return incident_record(kindergarten=data.pop("kindergarten"), user=self.request.user, **data)


class IncidentEditView(RecordFormView):
    model = Incident
    form_class = IncidentForm
    title = gettext_lazy("更新伤害事故")
    done = gettext_lazy("已保存事故。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        return incident_update(incident=self.record, user=self.request.user, **form.cleaned_data)


def incident_columns() -> list:
    return [
        TextColumn(header=_("幼儿园代码"), field="code"),
        TextColumn(header=_("幼儿园"), field="kindergarten"),
        TextColumn(header=_("街道/地区"), field="subdistrict"),
        TextColumn(header=_("发生时间"), field="occurred_at"),
        TextColumn(header=_("发生地点"), field="place"),
        TextColumn(header=_("幼儿（姓名首字母）"), field="child_initials"),
        IntegerColumn(header=_("幼儿年龄（岁）"), field="child_age"),
        TextColumn(header=_("严重程度"), field="severity"),
        TextColumn(header=_("事故经过"), field="what_happened", width=50),
        TextColumn(header=_("救治处理"), field="treatment", width=40),
        TextColumn(header=_("已申请保险理赔"), field="insurance_claimed"),
        TextColumn(header=_("理赔状态"), field="insurance_status"),
        TextColumn(header=_("状态"), field="status"),
        TextColumn(header=_("办结日期"), field="resolved_on"),
        IntegerColumn(header=_("处理时长（天）"), field="days"),
        TextColumn(header=_("处理结果"), field="outcome", width=40),
    ]


def incident_row(incident: Incident) -> dict:
    return {
        "code": incident.kindergarten.code,
        "kindergarten": incident.kindergarten.name,
        "subdistrict": incident.kindergarten.subdistrict.name,
        "occurred_at": f"{timezone.localtime(incident.occurred_at):%Y-%m-%d %H:%M}",
        "place": incident.place,
        "child_initials": incident.child_initials,
        "child_age": incident.child_age,
        "severity": incident.get_severity_display(),
        "what_happened": incident.what_happened,
        "treatment": incident.treatment,
        "insurance_claimed": _("是") if incident.insurance_claimed else _("否"),
        "insurance_status": incident.get_insurance_status_display() if incident.insurance_status else "",
        "status": incident.get_status_display(),
        "resolved_on": incident.resolved_on.isoformat() if incident.resolved_on else "",
        "days": incident.days_to_resolution,
        "outcome": incident.outcome,
    }


class IncidentExportView(LoginRequiredMixin, View):
    """The incidents of the list page (its filters, the user's scope) as a workbook."""

    def get(self, request) -> HttpResponse:
        rows = Incident.objects.visible_to(request.user).select_related("kindergarten__subdistrict")
        incidents = IncidentFilterSet(request.GET, queryset=rows, request=request).qs
        with translation.override(settings.LANGUAGE_CODE):
            sheet = Sheet(
                title=_("伤害事故"),
                columns=incident_columns(),
                rows=[incident_row(i) for i in incidents],
                notes=[_("幼儿只登记姓名拼音首字母和年龄。处理中的事故，处理时长为截至导出当日的天数。")],
                dropdowns=False,
            )
            day = timezone.localdate().isoformat()
            return xlsx_response(_("伤害事故-%(day)s.xlsx") % {"day": day}, [sheet], fallback=f"incidents-{day}.xlsx")


class DisputeListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = Dispute.objects.select_related("kindergarten__subdistrict")
    filterset_class = DisputeFilterSet
    table_class = DisputeTable
    template_name = "safety/dispute_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_record=keepable_kindergartens(self.request.user).exists(), **kwargs)


class DisputeDetailView(ScopedQuerysetMixin, DetailView):
    queryset = Dispute.objects.select_related("kindergarten__subdistrict", "incident")
    template_name = "safety/dispute_detail.html"

    def get_context_data(self, **kwargs):
        dispute = self.object
        return super().get_context_data(
            can_keep=may_keep_profile(self.request.user, dispute.kindergarten),
            mediations=dispute.mediations.all(),
            mediation_form=kwargs.pop("mediation_form", None)
            or MediationForm(initial={"held_on": timezone.localdate()}),
            history=history_entries(dispute),
            **kwargs,
        )


class DisputeCreateView(RecordFormView):
    form_class = DisputeForm
    title = gettext_lazy("登记家园纠纷")
    done = gettext_lazy("已登记纠纷。")
    list_url = reverse_lazy("safety:dispute_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = {"raised_on": timezone.localdate()}
        if self.request.GET.get("incident", "").isdigit():
            incident = Incident.objects.visible_to(self.request.user).filter(pk=self.request.GET["incident"]).first()
            if incident:
                initial.update(incident=incident.pk, kindergarten=incident.kindergarten_id)
        return initial

    def save(self, form):
        data = dict(form.cleaned_data)
        return dispute_record(kindergarten=data.pop("kindergarten"), user=self.request.user, **data)


class DisputeEditView(RecordFormView):
    model = Dispute
    form_class = DisputeForm
    title = gettext_lazy("更新家园纠纷")
    done = gettext_lazy("已保存纠纷。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        return dispute_update(dispute=self.record, user=self.request.user, **form.cleaned_data)


class MediationCreateView(LoginRequiredMixin, View):
    """A mediation session (POST from the dispute's page)."""

    def post(self, request, pk: int) -> HttpResponse:
        dispute = get_object_or_404(Dispute.objects.visible_to(request.user), pk=pk)
        if not may_keep_profile(request.user, dispute.kindergarten):
            raise PermissionDenied
        form = MediationForm(request.POST)
        if form.is_valid():
            try:
                mediation_record(dispute=dispute, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("已登记调解记录。"))
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return redirect(dispute)
