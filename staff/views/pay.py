"""Pay and rights: the filings with their flags, a filing against the benchmark, and the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.mixins import ScopedQuerysetMixin
from accounts.permissions import Act, may
from kindergartens.models import Kindergarten

from ..filtersets import PayFilingFilterSet
from ..forms import PayFilingForm
from ..models import PayFiling
from ..services import may_file_pay, pay_filing_save
from ..tables import PayFilingTable


def may_file_pay_own(user) -> bool:
    return bool(user.kindergarten_id) and may(user, Act.FILL, user.kindergarten_id)


class PayListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = (
        PayFiling.objects.with_flags()
        .select_related("kindergarten")
        .order_by("-year", "-flagged", "kindergarten__code")
    )
    filterset_class = PayFilingFilterSet
    table_class = PayFilingTable
    template_name = "staff/pay_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = self.object_list.order_by().aggregate(
            filings=Count("pk"),
            flagged_count=Count("pk", filter=Q(flagged=True)),
            insurance_required=Sum("insurance_required"),
            insurance_covered=Sum("insurance_covered"),
            housing_required=Sum("housing_required"),
            housing_covered=Sum("housing_covered"),
        )
        summary = context["summary"]
        for name in ("insurance", "housing"):
            covered, required = summary[f"{name}_covered"], summary[f"{name}_required"]
            # Cut, not rounded, like the indicators: 99.96 % never reads as 100 %.
            context[f"{name}_rate"] = f"{int(covered * 1000 / required) / 10:.1f}%" if required else None
        context["own_kindergarten"] = self.request.user.kindergarten_id if may_file_pay_own(self.request.user) else None
        return context


class PayDetailView(ScopedQuerysetMixin, DetailView):
    queryset = PayFiling.objects.with_flags().select_related("kindergarten__subdistrict", "filed_by")
    template_name = "staff/pay_detail.html"
    context_object_name = "filing"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filing = self.object
        context["lines"] = filing.lines.with_benchmark()
        context["can_edit"] = may_file_pay(self.request.user, filing.kindergarten)
        return context


class PayFilingEditView(LoginRequiredMixin, FormView):
    """Fill or correct a kindergarten's filing of a year (`?year=`)."""

    form_class = PayFilingForm
    template_name = "staff/pay_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.kindergarten = get_object_or_404(Kindergarten.objects.visible_to(request.user), pk=kwargs["pk"])
        if not may_file_pay(request.user, self.kindergarten):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _existing(self) -> PayFiling | None:
        year = self.request.POST.get("year") or self.request.GET.get("year")
        if not (year and str(year).isdigit()):
            return None
        return PayFiling.objects.filter(kindergarten=self.kindergarten, year=int(year)).first()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        filing = self._existing()
        if filing is not None:
            kwargs["instance"] = filing
            kwargs["lines"] = list(filing.lines.all())
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(kindergarten=self.kindergarten, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        fields = {name: data[name] for name in PayFilingForm.Meta.fields}
        try:
            filing = pay_filing_save(
                kindergarten=self.kindergarten, year=data["year"], lines=data["lines"], user=self.request.user, **fields
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存 %(year)s 年度工资待遇填报。") % {"year": filing.year})
        return redirect(filing)
