"""Fee pages: filings (list, export, filing, detail), alerts (list, detail, resolution), the
registered account and the yearly summary."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.mixins import ScopedQuerysetMixin
from accounts.permissions import Act, may
from common.spreadsheets import xlsx_response

from ..choices import AlertStatus, FeeItemKind
from ..filtersets import FeeAlertFilterSet, FeeFilingFilterSet
from ..forms import FeeAlertResolveForm, FeeFilingForm, FinancialSummaryForm, RegisteredAccountForm
from ..models import FeeAlert, FeeFiling, FeeItem, FinancialSummary, RegisteredAccount
from ..selectors import caps_for, fee_kind, school_year_start, senior_year_fee
from ..services import account_register, fee_alert_resolve, fee_filing_save, summary_file
from ..spreadsheets import fee_filing_sheet
from ..tables import FeeAlertTable, FeeFilingTable
from .common import form_errors, report_errors


def may_file(user) -> bool:
    return may(user, Act.FILL) or may(user, Act.MANAGE)


def _care_fee() -> Subquery:
    items = FeeItem.objects.filter(filing=OuterRef("pk"), item=FeeItemKind.CARE_EDUCATION)
    return Subquery(items.values("monthly_amount")[:1])


class FeeFilingListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = FeeFiling.objects.select_related("kindergarten__subdistrict").annotate(care_fee=_care_fee())
    filterset_class = FeeFilingFilterSet
    table_class = FeeFilingTable
    template_name = "governance/fee_filing_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_file"] = may_file(self.request.user)
        return context


class FeeFilingExportView(LoginRequiredMixin, View):
    """The filtered filings the user may see, as xlsx (through the same FilterSet and scope)."""

    def get(self, request) -> HttpResponse:
        queryset = (
            FeeFiling.objects.visible_to(request.user)
            .select_related("kindergarten__subdistrict")
            .prefetch_related("items")
        )
        filings = FeeFilingFilterSet(request.GET, queryset=queryset, request=request).qs
        with translation.override(settings.LANGUAGE_CODE):
            return xlsx_response(str(_("收费备案.xlsx")), [fee_filing_sheet(filings)], fallback="fee-filings.xlsx")


class FeeFilingCreateView(LoginRequiredMixin, UserPassesTestMixin, FormView):
    """Filing (or re-filing) a school year's fees: the director for their own, or bureau staff."""

    form_class = FeeFilingForm
    template_name = "governance/fee_filing_form.html"

    def test_func(self) -> bool:
        return may_file(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        field = self.get_form_class()(user=self.request.user).fields["kindergarten"]
        if field.queryset.count() == 1:
            initial["kindergarten"] = field.queryset.first()
        elif self.request.GET.get("kindergarten", "").isdigit():
            initial["kindergarten"] = int(self.request.GET["kindergarten"])
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            filing = fee_filing_save(
                kindergarten=data["kindergarten"],
                user=self.request.user,
                school_year=data["school_year"],
                grade=data["grade"],
                amounts=form.amounts(),
                other_description=data["other_description"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        alerts = FeeAlert.objects.filter(kindergarten=filing.kindergarten, status=AlertStatus.OPEN).count()
        messages.success(self.request, _("收费已备案。"))
        if alerts:
            messages.warning(self.request, _("本园有 %(n)s 条待处理的收费预警。") % {"n": alerts})
        return redirect(filing)


class FeeFilingDetailView(ScopedQuerysetMixin, DetailView):
    """A filing's items against the caps in force, the senior year's fee after the waiver, and the
    kindergarten's account, yearly summaries and alerts."""

    queryset = FeeFiling.objects.select_related("kindergarten__subdistrict", "filed_by")
    template_name = "governance/fee_filing_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filing, user = self.object, self.request.user
        start = school_year_start(filing.school_year)
        kind = fee_kind(filing.kindergarten, start)
        caps = caps_for(kind, filing.grade, start)
        items = [(item, caps.get(item.item)) for item in filing.items.all()]
        care = next((item.monthly_amount for item, _cap in items if item.item == FeeItemKind.CARE_EDUCATION), None)
        kindergarten = filing.kindergarten
        context.update(
            items=items,
            capped=kind is not None,
            senior=senior_year_fee(filing, care),
            account=RegisteredAccount.objects.visible_to(user).filter(kindergarten=kindergarten).first(),
            summaries=FinancialSummary.objects.visible_to(user).filter(kindergarten=kindergarten)[:5],
            alerts=FeeAlert.objects.visible_to(user).filter(kindergarten=kindergarten)[:10],
            may_file=may(user, Act.FILL, kindergarten) or may(user, Act.MANAGE, kindergarten),
        )
        return context


class FeeAlertListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = FeeAlert.objects.select_related("kindergarten__subdistrict")
    filterset_class = FeeAlertFilterSet
    table_class = FeeAlertTable
    template_name = "governance/fee_alert_list.html"
    paginate_by = 25


class FeeAlertDetailView(ScopedQuerysetMixin, DetailView):
    queryset = FeeAlert.objects.select_related("kindergarten__subdistrict", "resolved_by")
    template_name = "governance/fee_alert_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        alert = self.object
        context["can_resolve"] = alert.status == AlertStatus.OPEN and may(
            self.request.user, Act.REVIEW, alert.kindergarten
        )
        context["form"] = FeeAlertResolveForm()
        context["filing"] = (
            FeeFiling.objects.visible_to(self.request.user)
            .filter(kindergarten=alert.kindergarten)
            .order_by("-school_year")
            .first()
        )
        return context


class FeeAlertResolveView(LoginRequiredMixin, View):
    def post(self, request, pk: int) -> HttpResponse:
        alert = get_object_or_404(FeeAlert.objects.visible_to(request.user), pk=pk)
        form = FeeAlertResolveForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return redirect(alert)
        try:
            fee_alert_resolve(alert=alert, user=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            report_errors(request, error)
            return redirect(alert)
        messages.success(request, _("预警已处理。"))
        return redirect(alert)


class _FilerFormView(LoginRequiredMixin, UserPassesTestMixin, FormView):
    def test_func(self) -> bool:
        return may_file(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("kindergarten", "").isdigit():
            initial["kindergarten"] = int(self.request.GET["kindergarten"])
        return initial


class RegisteredAccountView(_FilerFormView):
    form_class = RegisteredAccountForm
    template_name = "governance/finance_form.html"
    extra_context = {"title": _("收费账户备案")}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            account_register(user=self.request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("收费账户已备案。"))
        return redirect("governance:fee_filing_list")


class FinancialSummaryView(_FilerFormView):
    form_class = FinancialSummaryForm
    template_name = "governance/finance_form.html"
    extra_context = {"title": _("年度收支情况")}

    def form_valid(self, form):
        try:
            summary_file(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("年度收支情况已报送。"))
        return redirect("governance:fee_filing_list")
