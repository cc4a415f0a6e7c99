"""Supervision pages: the list (one FilterSet with the API), an order with its events, interviews,
notices and link, opening an order by hand, recording an interview or a notice, the link to a
rectification order, and the attached files (served after the scope check)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.mixins import ScopedQuerysetMixin
from accounts.permissions import Act, may
from common.files import file_response

from ..choices import InterviewParty
from ..filtersets import SupervisionOrderFilterSet
from ..forms import InterviewForm, NoticeForm, RectificationLinkForm
from ..models import Hazard, SupervisionInterview, SupervisionNotice, SupervisionOrder
from ..services import interview_record, notice_record, supervision_link, supervision_open
from ..tables import SupervisionOrderTable

ORDER_ROWS = ("hazard__kindergarten__subdistrict", "rectification_order", "issued_by")


class SupervisionListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    """The orders on the user's list: a sub-district official's holds those escalated to their area."""

    queryset = SupervisionOrder.objects.select_related(*ORDER_ROWS)
    filterset_class = SupervisionOrderFilterSet
    table_class = SupervisionOrderTable
    template_name = "safety/supervision_list.html"
    paginate_by = 25


class SupervisionDetailView(ScopedQuerysetMixin, DetailView):
    queryset = SupervisionOrder.objects.select_related(*ORDER_ROWS, "hazard__opened_by")
    template_name = "safety/supervision_detail.html"
    context_object_name = "order"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order, user = self.object, self.request.user
        kindergarten = order.hazard.kindergarten
        context.update(
            hazard=order.hazard,
            events=order.events.select_related("by"),
            interviews=order.interviews.all(),
            notices=order.notices.all(),
            days_overdue=order.days_overdue(timezone.localdate()),
            can_supervise=order.is_open and may(user, Act.SUPERVISE, kindergarten),
            can_link=may(user, Act.ENFORCE, kindergarten),
        )
        return context


class SupervisionOpenView(LoginRequiredMixin, View):
    """Opens an order by hand for an existing major hazard (POST); the service checks who and what."""

    def post(self, request, hazard: int) -> HttpResponse:
        hazard = get_object_or_404(Hazard.objects.visible_to(request.user), pk=hazard)
        try:
            order = supervision_open(hazard=hazard, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(hazard)
        messages.success(request, _("已立案督办。"))
        return redirect(order)


class OrderScopedMixin(LoginRequiredMixin):
    """The order of the URL, if the user may see it (otherwise it does not exist: 404)."""

    @cached_property
    def order(self) -> SupervisionOrder:
        visible = SupervisionOrder.objects.visible_to(self.request.user).select_related("hazard__kindergarten")
        return get_object_or_404(visible, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(order=self.order, title=self.title, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may(request.user, self.action, self.order.hazard.kindergarten):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SupervisionRecordView(OrderScopedMixin, FormView):
    """An interview (约谈) or a public notice (通报) on the order."""

    template_name = "safety/supervision_form.html"
    action = Act.SUPERVISE
    kinds = {
        "interview": (InterviewForm, interview_record, _("登记约谈"), _("已登记约谈。")),
        "notice": (NoticeForm, notice_record, _("登记通报"), _("已登记通报。")),
    }

    @property
    def kind(self):
        if self.kwargs["kind"] not in self.kinds:
            raise Http404
        return self.kinds[self.kwargs["kind"]]

    @property
    def title(self) -> str:
        return self.kind[2]

    def get_form_class(self):
        return self.kind[0]

    def get_initial(self):
        return {"held_on": timezone.localdate(), "issued_on": timezone.localdate(), "party": InterviewParty.BOTH}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            self.kind[1](order=self.order, user=self.request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.kind[3])
        return redirect(self.order)


class SupervisionLinkView(OrderScopedMixin, FormView):
    """Refers the order to an enforcement rectification order of the same kindergarten."""

    template_name = "safety/supervision_form.html"
    form_class = RectificationLinkForm
    action = Act.ENFORCE
    title = _("关联整改通知")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "order": self.order, "user": self.request.user}

    def get_initial(self):
        return {"rectification_order": self.order.rectification_order_id}

    def form_valid(self, form):
        try:
            supervision_link(
                order=self.order, rectification_order=form.cleaned_data["rectification_order"], user=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已更新关联的整改通知。"))
        return redirect(self.order)


class SupervisionFileView(LoginRequiredMixin, View):
    """The file of an interview or a notice, to those who may see its order; to anyone else it does not exist."""

    models = {"interview": SupervisionInterview, "notice": SupervisionNotice}

    def get(self, request, kind: str, pk: int) -> HttpResponse:
        if kind not in self.models:
            raise Http404
        row = get_object_or_404(self.models[kind].objects.visible_to(request.user).exclude(file=""), pk=pk)
        return file_response(row.file, filename=row.original_name, content_type=row.content_type)
