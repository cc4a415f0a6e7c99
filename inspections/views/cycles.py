"""Pages of the three-year cycle: cycles, their plan of kindergartens, one kindergarten's year."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from django_tables2 import RequestConfig

from accounts.history import history_entries
from accounts.mixins import BureauRequiredMixin, ScopedQuerysetMixin
from accounts.permissions import Act, may

from .. import services
from ..coverage import Coverage
from ..filtersets import CycleAssignmentFilterSet
from ..forms import CycleAssignmentForm, EvaluationCycleForm
from ..forms.common import add_service_errors
from ..models import CycleAssignment, EvaluationCycle
from ..tables import CycleAssignmentTable
from .common import BureauObjectMixin


class EvaluationCycleListView(ScopedQuerysetMixin, ListView):
    model = EvaluationCycle
    template_name = "inspections/cycle_list.html"

    def get_queryset(self):
        # Only the plan rows the user may see are counted: a director's figure is their own kindergarten.
        visible = CycleAssignment.objects.visible_to(self.request.user)
        return (
            super()
            .get_queryset()
            .select_related("framework_version")
            .annotate(assigned=Count("assignments", filter=Q(assignments__in=visible)))
        )


class EvaluationCycleCreateView(BureauRequiredMixin, CreateView):
    model = EvaluationCycle
    form_class = EvaluationCycleForm
    template_name = "inspections/cycle_form.html"

    def get_initial(self):
        year = timezone.localdate().year
        return {"start_year": year, "name": _("%(start)s—%(end)s 年评估周期") % {"start": year, "end": year + 2}}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            cycle = services.evaluation_cycle_create(
                name=data["name"],
                start_year=data["start_year"],
                framework_version=data["framework_version"],
                due_month=data["due_month"],
                due_day=data["due_day"],
                user=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已创建评估周期，请为幼儿园安排评估年度。"))
        return redirect(cycle)


class EvaluationCycleUpdateView(BureauRequiredMixin, UpdateView):
    model = EvaluationCycle
    form_class = EvaluationCycleForm
    template_name = "inspections/cycle_form.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            cycle = services.evaluation_cycle_update(
                cycle=self.object,
                name=data["name"],
                framework_version=data["framework_version"],
                due_month=data["due_month"],
                due_day=data["due_day"],
                user=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(cycle)


class EvaluationCycleDetailView(ScopedQuerysetMixin, DetailView):
    """The plan: coverage per sub-district (counted by the database) and every kindergarten's year."""

    model = EvaluationCycle
    template_name = "inspections/cycle_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = self.object
        today = timezone.localdate()
        visible = CycleAssignment.objects.visible_to(self.request.user).filter(cycle=cycle)
        assignments = visible.select_related("kindergarten__subdistrict").with_progress(today)
        filterset = CycleAssignmentFilterSet(self.request.GET or None, queryset=assignments, request=self.request)
        can_manage = may(self.request.user, Act.MANAGE)
        table = CycleAssignmentTable(filterset.qs, can_edit=can_manage)
        RequestConfig(self.request, paginate={"per_page": 25}).configure(table)
        coverage = list(visible.coverage_by_subdistrict(today))
        totals = visible.coverage_totals(today)
        for row in coverage:  # the one definition of the measure (inspections.coverage)
            row["evaluation_coverage"] = Coverage(evaluated=row["evaluated"], planned=row["assigned"])
        context.update(
            today=today,
            coverage=coverage,
            totals=totals,
            total_coverage=Coverage(evaluated=totals["evaluated"] or 0, planned=totals["assigned"] or 0),
            filter=filterset,
            table=table,
            can_manage=can_manage,
            history=history_entries(cycle),
        )
        return context


class CycleAssignView(BureauObjectMixin, View):
    model = EvaluationCycle

    def post(self, request, pk: int) -> HttpResponse:
        added = services.cycle_assign_kindergartens(cycle=self.object, user=request.user)
        if added:
            messages.success(request, _("已为 %(count)d 所幼儿园安排评估年度。") % {"count": added})
        else:
            messages.info(request, _("所有在办幼儿园和办园点都已在本周期的安排中。"))
        return redirect(self.object)


class CycleAssignmentUpdateView(BureauRequiredMixin, UpdateView):
    model = CycleAssignment
    form_class = CycleAssignmentForm
    template_name = "inspections/assignment_form.html"

    def get_queryset(self):
        return CycleAssignment.objects.select_related("cycle", "kindergarten")

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            assignment = services.cycle_assignment_update(
                assignment=self.object,
                user=self.request.user,
                planned_year=data["planned_year"],
                self_assessment_due=data["self_assessment_due"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已将“%(kindergarten)s”安排在 %(year)s 年评估。")
            % {"kindergarten": assignment.kindergarten, "year": assignment.planned_year},
        )
        return redirect(assignment.cycle)
