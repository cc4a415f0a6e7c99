"""Subsidy pages: a month's entitlement per inclusive private kindergarten with what was paid and
the totals per sub-district (and its xlsx export), disbursements, aid recipients, and the facts the
new-place and rent subsidies are computed from (new places approved, rented premises)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.mixins import ScopedQuerysetMixin
from accounts.permissions import Act, may
from common.spreadsheets import xlsx_response
from kindergartens.models import Subdistrict

from ..filtersets import AidRecipientFilterSet, NewPlaceFilterSet, RecognitionFilterSet, RentedPremisesFilterSet
from ..forms import AidRecipientForm, DisbursementForm, NewPlaceForm, RentedPremisesForm
from ..models import AidRecipient, Disbursement, NewPlace, Recognition, RentedPremises
from ..services import aid_recipient_add, disbursement_record, new_place_record, rented_premises_save
from ..spreadsheets import subsidy_sheet
from ..subsidies import entitlements, month_start, totals_by_subdistrict
from ..tables import AidRecipientTable
from .fees import may_file


def asked_month(request) -> datetime.date:
    """The month in `?month=YYYY-MM`, else the current one."""
    try:
        return datetime.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        return month_start(timezone.localdate())


def _month_figures(request, month: datetime.date):
    """Entitlements of the recognitions the user may see (filtered like the recognition list), and
    what was paid per kindergarten for that month."""
    recognitions = RecognitionFilterSet(
        request.GET, queryset=Recognition.objects.visible_to(request.user), request=request
    ).qs
    rows = entitlements(recognitions, month)
    paid = dict(
        Disbursement.objects.visible_to(request.user)
        .filter(month=month)
        .values("kindergarten")
        .annotate(total=Sum("amount"))
        .values_list("kindergarten", "total")
        .order_by()
    )
    return rows, paid


class SubsidyView(LoginRequiredMixin, TemplateView):
    template_name = "governance/subsidies.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = asked_month(self.request)
        rows, paid = _month_figures(self.request, month)
        context.update(
            month=month,
            rows=[(row, paid.get(row.kindergarten.pk)) for row in rows],
            totals=totals_by_subdistrict(rows, paid),
            entitled=sum((r.total for r in rows), Decimal("0")),
            paid_total=sum((paid.get(r.kindergarten.pk, Decimal("0")) for r in rows), Decimal("0")),
            may_disburse=may(self.request.user, Act.MANAGE),
            filter=RecognitionFilterSet(self.request.GET, request=self.request),
        )
        return context


class SubsidyExportView(LoginRequiredMixin, View):
    def get(self, request) -> HttpResponse:
        month = asked_month(request)
        rows, paid = _month_figures(request, month)
        with translation.override(settings.LANGUAGE_CODE):
            return xlsx_response(
                str(_("普惠园补助测算-%(month)s.xlsx")) % {"month": f"{month:%Y-%m}"},
                [subsidy_sheet(rows, paid)],
                fallback=f"subsidies-{month:%Y-%m}.xlsx",
            )


class DisbursementCreateView(LoginRequiredMixin, UserPassesTestMixin, FormView):
    form_class = DisbursementForm
    template_name = "governance/finance_form.html"
    extra_context = {"title": _("登记补助拨付")}

    def test_func(self) -> bool:
        return may(self.request.user, Act.MANAGE)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = {"month": asked_month(self.request)}
        if self.request.GET.get("kindergarten", "").isdigit():
            initial["kindergarten"] = int(self.request.GET["kindergarten"])
        if self.request.GET.get("amount"):
            initial["amount"] = self.request.GET["amount"]
        return initial

    def form_valid(self, form):
        try:
            row = disbursement_record(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已登记拨付。"))
        return redirect(f"{reverse('governance:subsidies')}?month={row.month:%Y-%m}")


class AidRecipientListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = AidRecipient.objects.select_related("kindergarten__subdistrict")
    filterset_class = AidRecipientFilterSet
    table_class = AidRecipientTable
    template_name = "governance/aid_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sums = (
            self.object_list.values("kindergarten__subdistrict")
            .annotate(children=Count("pk"), amount=Sum("amount"))
            .values_list("kindergarten__subdistrict", "children", "amount")
            .order_by()
        )
        figures = {area: (children, amount) for area, children, amount in sums}
        areas = Subdistrict.objects.filter(pk__in=figures).order_by("code")
        context["totals"] = [(area, *figures[area.pk]) for area in areas]
        context["may_file"] = may_file(self.request.user)
        return context


class RecordFormView(LoginRequiredMixin, UserPassesTestMixin, FormView):
    """A form that records one row through a service: `record(user=…, **cleaned_data)`, a service
    error shown on the form, then `done` and back to `success_url_name`. The kindergarten is
    preselected when the user may choose only one."""

    template_name = "governance/finance_form.html"
    record = None  # the service, a staticmethod set by each subclass
    done = ""
    success_url_name = ""

    def test_func(self) -> bool:
        return may_file(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        field = self.get_form_class()(user=self.request.user).fields.get("kindergarten")
        if field is None:
            return {}
        return {"kindergarten": field.queryset.first()} if field.queryset.count() == 1 else {}

    def form_valid(self, form):
        try:
            self.record(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.done)
        return redirect(self.success_url_name)


class AidRecipientCreateView(RecordFormView):
    form_class = AidRecipientForm
    extra_context = {"title": _("登记受资助幼儿")}
    record = staticmethod(aid_recipient_add)
    done = _("已登记受资助幼儿。")
    success_url_name = "governance:aid_list"


class SubsidyFactsView(LoginRequiredMixin, TemplateView):
    """New places approved and rented premises of the kindergartens the user may see."""

    template_name = "governance/subsidy_facts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        places = NewPlaceFilterSet(self.request.GET, queryset=NewPlace.objects.visible_to(user), request=self.request)
        premises = RentedPremisesFilterSet(
            self.request.GET, queryset=RentedPremises.objects.visible_to(user), request=self.request
        )
        context.update(
            filter=places,
            new_places=places.qs.select_related("kindergarten__subdistrict")[:200],
            premises=premises.qs.select_related("kindergarten__subdistrict")[:200],
            may_approve=may(user, Act.MANAGE),
            may_file=may_file(user),
        )
        return context


class NewPlaceCreateView(RecordFormView):
    form_class = NewPlaceForm
    extra_context = {"title": _("登记新增学位")}
    record = staticmethod(new_place_record)
    done = _("已登记新增学位。")
    success_url_name = "governance:subsidy_facts"

    def test_func(self) -> bool:
        return may(self.request.user, Act.MANAGE)

    def get_initial(self):
        return {}


class RentedPremisesCreateView(RecordFormView):
    form_class = RentedPremisesForm
    extra_context = {"title": _("登记租赁园舍")}
    record = staticmethod(rented_premises_save)
    done = _("已登记租赁园舍。")
    success_url_name = "governance:subsidy_facts"
