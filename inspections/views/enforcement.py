"""Enforcement pages: rectification orders (with follow-ups and penalties), unlicensed
kindergartens as cases, and conduct cases.

Views stay thin: they find the object in the user's scope (others get 404; changing needs the
change scope, which is the bureau's and the assigned inspectors'), hand the input to
`services.enforcement` and show its verdict under the field it names.
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.history import history_entries
from accounts.mixins import ScopedQuerysetMixin
from accounts.permissions import Act, may

from ..choices import OPEN_UNLICENSED_STATUSES, CaseStatus, ConductCaseKind, OrderStatus
from ..filtersets import ConductCaseFilterSet, RectificationOrderFilterSet, UnlicensedCaseFilterSet
from ..forms.common import add_service_errors
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
from ..forms.order_answers import SendBackForm
from ..models import ConductCase, FollowUpVisit, RectificationOrder, UnlicensedCase
from ..selectors import conduct_counts, open_cases_by_subdistrict
from ..services import enforcement as services
from ..services import order_answers as answer_services
from ..tables import ConductCaseTable, RectificationOrderTable, UnlicensedCaseTable
from .common import ObjectActionView


class EnforcerRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Pages that create orders or cases: bureau staff and inspectors. Others get 403."""

    def test_func(self) -> bool:
        return may(self.request.user, Act.ENFORCE)


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
            add_service_errors(form, error)
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
        # The figures over everything the user may see (not only this page).
        totals = RectificationOrder.objects.visible_to(self.request.user).status_totals()
        context.update(totals=totals, can_issue=may(self.request.user, Act.ENFORCE))
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
        can_act = order.status == OrderStatus.OPEN and may(self.request.user, Act.ENFORCE, order.kindergarten_id)
        context.update(
            follow_ups=FollowUpVisit.objects.filter(order=order).select_related("inspector"),
            can_act=can_act,
            can_penalise=can_act and order.deadline < timezone.localdate(),
            follow_up_form=kwargs.get("follow_up_form") or FollowUpForm(),
            rectify_form=kwargs.get("rectify_form") or RectifyForm(),
            penalty_form=kwargs.get("penalty_form") or PenaltyForm(),
            history=history_entries(order),
            # The director's answers (inspections.services.order_answers) and the decision on them.
            answers=answer_services.answers_of(order),
            may_answer=answer_services.may_answer(self.request.user, order),
            may_decide=answer_services.may_decide(self.request.user, order),
            send_back_form=kwargs.get("send_back_form") or SendBackForm(),
        )
        return context


class OrderActionView(ObjectActionView):
    """A POST that moves an order on; a refused one shows the detail page with the form's errors."""

    model = RectificationOrder
    detail_view = RectificationOrderDetailView
    refused_message = _lazy("请更正下列标红的内容，本次操作未保存。")


class OrderFollowUpView(OrderActionView):
    form_class = FollowUpForm
    form_name = "follow_up_form"

    def perform(self, data: dict) -> str:
        services.order_follow_up(
            order=self.object,
            user=self.request.user,
            visited_on=data["visited_on"],
            note=data["note"],
            rectified=data["rectified"],
        )
        return _("已记录复查。")


class OrderRectifyView(OrderActionView):
    form_class = RectifyForm
    form_name = "rectify_form"

    def perform(self, data: dict) -> str:
        services.order_rectify(order=self.object, user=self.request.user, rectified_on=data["rectified_on"])
        return _("已登记整改完成。")


class OrderPenaliseView(OrderActionView):
    form_class = PenaltyForm
    form_name = "penalty_form"

    def perform(self, data: dict) -> str:
        services.order_penalise(
            order=self.object,
            user=self.request.user,
            penalty_kind=data["penalty_kind"],
            penalty_note=data["penalty_note"],
            penalised_on=data["penalised_on"],
        )
        return _("已登记处罚。")


# --- unlicensed kindergartens --------------------------------------------------------------------


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
            can_register=may(self.request.user, Act.ENFORCE),
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
        changeable = UnlicensedCase.objects.restrict(self.request.user, "change").filter(pk=case.pk).exists()
        form = kwargs.get("transition_form") or UnlicensedTransitionForm(case=case)
        context.update(
            is_open=case.status in OPEN_UNLICENSED_STATUSES,
            can_change=changeable and bool(services.UNLICENSED_TRANSITIONS.get(case.status)),
            transition_form=form,
            history=history_entries(case),
        )
        return context


class UnlicensedCaseTransitionView(ObjectActionView):
    model = UnlicensedCase
    form_name = "transition_form"
    detail_view = UnlicensedCaseDetailView
    refused_message = _lazy("请更正下列标红的内容，本次操作未保存。")

    def get_form(self) -> UnlicensedTransitionForm:
        return UnlicensedTransitionForm(self.request.POST, case=self.object)

    def perform(self, data: dict) -> str:
        case = services.unlicensed_case_transition(case=self.object, user=self.request.user, **data)
        return _("案件状态已更新为“%(status)s”。") % {"status": case.get_status_display()}


# --- conduct cases -------------------------------------------------------------------------------


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
            can_register=may(self.request.user, Act.ENFORCE),
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
        changeable = ConductCase.objects.restrict(self.request.user, "change").filter(pk=case.pk).exists()
        context.update(
            can_change=changeable and case.status == CaseStatus.OPEN,
            close_form=kwargs.get("close_form") or ConductCloseForm(initial={"outcome": case.outcome}),
            history=history_entries(case),
        )
        return context


class ConductCaseCloseView(ObjectActionView):
    model = ConductCase
    form_class = ConductCloseForm
    form_name = "close_form"
    detail_view = ConductCaseDetailView
    refused_message = _lazy("请更正下列标红的内容，本次操作未保存。")

    def perform(self, data: dict) -> str:
        services.conduct_case_close(case=self.object, user=self.request.user, **data)
        return _("已结案。")
