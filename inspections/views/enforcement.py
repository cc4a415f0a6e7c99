"""Enforcement pages: rectification orders (with follow-ups and penalties), unlicensed
kindergartens as cases, and conduct cases.

Views stay thin: they find the object in the user's scope (others get 404; changing needs the
change scope, which is the bureau's and the assigned inspectors'), hand the input to
`services.enforcement` and show its verdict under the field it names.
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.history import history_entries
from accounts.mixins import ScopedQuerysetMixin
from kindergartens.models import Subdistrict

from ..choices import OPEN_UNLICENSED_STATUSES, CaseStatus, ConductCaseKind, OrderStatus
from ..filtersets_enforcement import ConductCaseFilterSet, RectificationOrderFilterSet, UnlicensedCaseFilterSet
from ..forms.enforcement import (
    ConductCaseForm,
    ConductCloseForm,
    FollowUpForm,
    PenaltyForm,
    RectificationOrderForm,
    RectifyForm,
    UnlicensedCaseForm,
    UnlicensedTransitionForm,
)
from ..models import ConductCase, FollowUpVisit, RectificationOrder, UnlicensedCase
from ..services import enforcement as services
from ..tables_enforcement import ConductCaseTable, RectificationOrderTable, UnlicensedCaseTable
from . import add_errors


class EnforcerRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Pages that create orders or cases: bureau staff and inspectors. Others get 403."""

    def test_func(self) -> bool:
        return services.may_issue_orders(self.request.user)


class ChangeObjectMixin(LoginRequiredMixin):
    """Pages that change one object: it must be in the user's change scope, else 404."""

    model = None

    @cached_property
    def object(self):
        return get_object_or_404(self.model.objects.restrict(self.request.user, "change"), pk=self.kwargs["pk"])


class ServiceFormView(FormView, metaclass=ABCMeta):
    """A form whose data goes to one service call (`save`); what the service refuses comes back
    under the fields it names, with status 400, and nothing is saved."""

    success_message = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    @abstractmethod
    def save(self, data: dict):
        """Hands the cleaned data to the service; returns the saved object (to redirect to)."""

    def form_valid(self, form):
        try:
            saved = self.save(form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(saved)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ServiceUpdateView(ChangeObjectMixin, ServiceFormView):
    """Corrects one object in the change scope while it is open; a closed one sends the user
    back to its page with `closed_message`."""

    success_message = _lazy("已保存。")
    closed_message = ""

    def is_open(self) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.is_open():
            messages.error(request, self.closed_message)
            return redirect(self.object)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)


# --- rectification orders -------------------------------------------------------------------------


class RectificationOrderListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    """Orders in the user's scope (a director: their own kindergarten's), overdue ones flagged."""

    queryset = RectificationOrder.objects.select_related("kindergarten__subdistrict")
    filterset_class = RectificationOrderFilterSet
    table_class = RectificationOrderTable
    template_name = "inspections/order_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        # One query for the four figures over everything the user may see (not only this page).
        totals = RectificationOrder.objects.visible_to(self.request.user).aggregate(
            open=Count("pk", filter=Q(status=OrderStatus.OPEN)),
            overdue=Count("pk", filter=Q(status=OrderStatus.OPEN, deadline__lt=today)),
            rectified=Count("pk", filter=Q(status=OrderStatus.RECTIFIED)),
            penalised=Count("pk", filter=Q(status=OrderStatus.PENALISED)),
        )
        context.update(totals=totals, can_issue=services.may_issue_orders(self.request.user))
        return context


class RectificationOrderCreateView(EnforcerRequiredMixin, ServiceFormView):
    form_class = RectificationOrderForm
    template_name = "inspections/order_form.html"
    success_message = _lazy("已下达整改通知。")

    def get_initial(self):
        kindergarten = self.request.GET.get("kindergarten", "")
        return {"kindergarten": kindergarten} if kindergarten.isdigit() else {}

    def save(self, data: dict):
        return services.order_issue(
            kindergarten=data["kindergarten"],
            user=self.request.user,
            reason=data["reason"],
            description=data["description"],
            deadline=data["deadline"],
            issued_on=data["issued_on"],
        )


class RectificationOrderUpdateView(ServiceUpdateView):
    model = RectificationOrder
    form_class = RectificationOrderForm
    template_name = "inspections/order_form.html"
    closed_message = _lazy("该整改通知已办结，不能再修改。")

    def is_open(self) -> bool:
        return self.object.status == OrderStatus.OPEN

    def save(self, data: dict):
        return services.order_update(
            order=self.object,
            user=self.request.user,
            reason=data["reason"],
            description=data["description"],
            deadline=data["deadline"],
            issued_on=data["issued_on"],
        )


class RectificationOrderDetailView(ScopedQuerysetMixin, DetailView):
    queryset = RectificationOrder.objects.select_related("kindergarten__subdistrict", "issued_by")
    template_name = "inspections/order_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        can_act = order.status == OrderStatus.OPEN and services.may_enforce(self.request.user, order.kindergarten_id)
        context.update(
            follow_ups=FollowUpVisit.objects.filter(order=order).select_related("inspector"),
            can_act=can_act,
            can_penalise=can_act and order.deadline < timezone.localdate(),
            follow_up_form=kwargs.get("follow_up_form") or FollowUpForm(),
            rectify_form=kwargs.get("rectify_form") or RectifyForm(),
            penalty_form=kwargs.get("penalty_form") or PenaltyForm(),
            history=history_entries(order),
        )
        return context


class OrderActionView(ChangeObjectMixin, View, metaclass=ABCMeta):
    """A POST that moves an order on; a refused one shows the detail page with the form's errors."""

    model = RectificationOrder
    form_class = None
    context_name = ""
    success_message = ""

    @abstractmethod
    def perform(self, data: dict) -> None:
        """Hands the cleaned data to the service that moves the order on."""

    def post(self, request, pk: int) -> HttpResponse:
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.perform(form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, self.success_message)
                return redirect(self.object)
        messages.error(request, _("请更正下列标红的内容，本次操作未保存。"))
        view = RectificationOrderDetailView()
        view.setup(request, pk=pk)
        view.object = view.get_object()
        return view.render_to_response(view.get_context_data(**{self.context_name: form}), status=400)


class OrderFollowUpView(OrderActionView):
    form_class = FollowUpForm
    context_name = "follow_up_form"

    @property
    def success_message(self) -> str:
        return _("已记录复查。")

    def perform(self, data: dict) -> None:
        services.order_follow_up(
            order=self.object,
            user=self.request.user,
            visited_on=data["visited_on"],
            note=data["note"],
            rectified=data["rectified"],
        )


class OrderRectifyView(OrderActionView):
    form_class = RectifyForm
    context_name = "rectify_form"

    @property
    def success_message(self) -> str:
        return _("已登记整改完成。")

    def perform(self, data: dict) -> None:
        services.order_rectify(order=self.object, user=self.request.user, rectified_on=data["rectified_on"])


class OrderPenaliseView(OrderActionView):
    form_class = PenaltyForm
    context_name = "penalty_form"

    @property
    def success_message(self) -> str:
        return _("已登记处罚。")

    def perform(self, data: dict) -> None:
        services.order_penalise(
            order=self.object,
            user=self.request.user,
            penalty_kind=data["penalty_kind"],
            penalty_note=data["penalty_note"],
            penalised_on=data["penalised_on"],
        )


# --- unlicensed kindergartens --------------------------------------------------------------------


def open_cases_by_subdistrict(user) -> list[dict]:
    """The "dynamic zero" table: open unlicensed cases per sub-district the user may see (target 0).

    Two queries whatever the number of cases: one GROUP BY over the cases, one for the sub-districts.
    """
    counts = dict(
        UnlicensedCase.objects.visible_to(user)
        .filter(status__in=OPEN_UNLICENSED_STATUSES)
        .values("subdistrict")
        .annotate(n=Count("pk"))
        .values_list("subdistrict", "n")
        .order_by()
    )
    return [
        {"pk": pk, "name": name, "open": counts.get(pk, 0)}
        for pk, name in Subdistrict.objects.visible_to(user).order_by("code").values_list("pk", "name")
    ]


class UnlicensedCaseListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = UnlicensedCase.objects.select_related("subdistrict")
    filterset_class = UnlicensedCaseFilterSet
    table_class = UnlicensedCaseTable
    template_name = "inspections/unlicensed_case_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        zero = open_cases_by_subdistrict(self.request.user)
        context.update(
            zero=zero,
            open_total=sum(row["open"] for row in zero),
            subdistricts_open=sum(1 for row in zero if row["open"]),
            can_register=services.may_register_cases(self.request.user),
        )
        return context


class UnlicensedCaseCreateView(EnforcerRequiredMixin, ServiceFormView):
    form_class = UnlicensedCaseForm
    template_name = "inspections/unlicensed_case_form.html"
    success_message = _lazy("已登记无证园案件。")

    def get_initial(self):
        return {"discovered_on": timezone.localdate()}

    def save(self, data: dict):
        return services.unlicensed_case_create(user=self.request.user, **data)


class UnlicensedCaseUpdateView(ServiceUpdateView):
    model = UnlicensedCase
    form_class = UnlicensedCaseForm
    template_name = "inspections/unlicensed_case_form.html"

    def save(self, data: dict):
        return services.unlicensed_case_update(case=self.object, user=self.request.user, **data)


class UnlicensedCaseDetailView(ScopedQuerysetMixin, DetailView):
    queryset = UnlicensedCase.objects.select_related("subdistrict", "kindergarten", "created_by")
    template_name = "inspections/unlicensed_case_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        may_change = UnlicensedCase.objects.restrict(self.request.user, "change").filter(pk=case.pk).exists()
        form = kwargs.get("transition_form") or UnlicensedTransitionForm(case=case)
        context.update(
            is_open=case.status in OPEN_UNLICENSED_STATUSES,
            can_change=may_change and bool(services.UNLICENSED_TRANSITIONS.get(case.status)),
            transition_form=form,
            history=history_entries(case),
        )
        return context


class UnlicensedCaseTransitionView(ChangeObjectMixin, View):
    model = UnlicensedCase

    def post(self, request, pk: int) -> HttpResponse:
        form = UnlicensedTransitionForm(request.POST, case=self.object)
        if form.is_valid():
            try:
                case = services.unlicensed_case_transition(case=self.object, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("案件状态已更新为“%(status)s”。") % {"status": case.get_status_display()})
                return redirect(case)
        messages.error(request, _("请更正下列标红的内容，本次操作未保存。"))
        view = UnlicensedCaseDetailView()
        view.setup(request, pk=pk)
        view.object = view.get_object()
        return view.render_to_response(view.get_context_data(transition_form=form), status=400)


# --- conduct cases -------------------------------------------------------------------------------


def conduct_counts(user) -> tuple[list[dict], dict]:
    """Cases per sub-district and kind (open / all), one GROUP BY over what the user may see."""
    kinds = [code for code, _label in ConductCaseKind.choices]
    rows: dict[int, dict] = {}
    totals = {code: {"open": 0, "total": 0} for code in kinds}
    grouped = (
        ConductCase.objects.visible_to(user)
        .values("subdistrict", "subdistrict__name", "subdistrict__code", "kind")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(status=CaseStatus.OPEN)))
        .order_by("subdistrict__code", "kind")
    )
    for row in grouped:
        entry = rows.setdefault(
            row["subdistrict"],
            {"pk": row["subdistrict"], "name": row["subdistrict__name"], "cells": defaultdict(dict)},
        )
        entry["cells"][row["kind"]] = {"open": row["open"], "total": row["total"]}
        totals[row["kind"]]["open"] += row["open"]
        totals[row["kind"]]["total"] += row["total"]
    table = [
        {**entry, "cells": [entry["cells"].get(code, {"open": 0, "total": 0}) for code in kinds]}
        for entry in rows.values()
    ]
    return table, {"cells": [totals[code] for code in kinds]}


class ConductCaseListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = ConductCase.objects.select_related("subdistrict", "kindergarten")
    filterset_class = ConductCaseFilterSet
    table_class = ConductCaseTable
    template_name = "inspections/conduct_case_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts, totals = conduct_counts(self.request.user)
        context.update(
            kinds=ConductCaseKind.choices,
            counts=counts,
            count_totals=totals,
            can_register=services.may_register_cases(self.request.user),
        )
        return context


class ConductCaseCreateView(EnforcerRequiredMixin, ServiceFormView):
    form_class = ConductCaseForm
    template_name = "inspections/conduct_case_form.html"
    success_message = _lazy("已登记案件。")

    def get_initial(self):
        kind = self.request.GET.get("kind", "")
        return {"reported_on": timezone.localdate(), **({"kind": kind} if kind in ConductCaseKind.values else {})}

    def save(self, data: dict):
        return services.conduct_case_create(user=self.request.user, **data)


class ConductCaseUpdateView(ServiceUpdateView):
    model = ConductCase
    form_class = ConductCaseForm
    template_name = "inspections/conduct_case_form.html"
    closed_message = _lazy("该案件已结案，不能再修改。")

    def is_open(self) -> bool:
        return self.object.status == CaseStatus.OPEN

    def save(self, data: dict):
        return services.conduct_case_update(case=self.object, user=self.request.user, **data)


class ConductCaseDetailView(ScopedQuerysetMixin, DetailView):
    queryset = ConductCase.objects.select_related("subdistrict", "kindergarten", "created_by")
    template_name = "inspections/conduct_case_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        may_change = ConductCase.objects.restrict(self.request.user, "change").filter(pk=case.pk).exists()
        context.update(
            can_change=may_change and case.status == CaseStatus.OPEN,
            close_form=kwargs.get("close_form") or ConductCloseForm(initial={"outcome": case.outcome}),
            history=history_entries(case),
        )
        return context


class ConductCaseCloseView(ChangeObjectMixin, View):
    model = ConductCase

    def post(self, request, pk: int) -> HttpResponse:
        form = ConductCloseForm(request.POST)
        if form.is_valid():
            try:
                case = services.conduct_case_close(case=self.object, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("已结案。"))
                return redirect(case)
        messages.error(request, _("请更正下列标红的内容，本次操作未保存。"))
        view = ConductCaseDetailView()
        view.setup(request, pk=pk)
        view.object = view.get_object()
        return view.render_to_response(view.get_context_data(close_form=form), status=400)
