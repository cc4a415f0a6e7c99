"""The answer loop of a rectification order: the director's answer page, the decision buttons,
and the evidence files (served only to those who may see the order)."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from ..forms.common import add_service_errors
from ..forms.order_answers import AcceptAnswerForm, OrderAnswerForm, SendBackForm
from ..models import OrderAnswerAttachment, RectificationOrder
from ..services import order_answers as services
from .common import AttachmentDownloadView, ObjectActionView
from .enforcement import RectificationOrderDetailView


class OrderAnswerView(LoginRequiredMixin, View):
    """The director's page for answering an order: report and evidence (phone camera)."""

    accepts_uploads = True  # the upload body limit (common.limits)

    template_name = "inspections/order_answer_form.html"

    @cached_property
    def order(self) -> RectificationOrder:
        # Directors only read orders (their own kindergarten's): the answer is theirs to give.
        return get_object_or_404(
            RectificationOrder.objects.restrict(self.request.user, "view").select_related("kindergarten"),
            pk=self.kwargs["pk"],
        )

    def render(self, form, status=200):
        context = {"order": self.order, "form": form, "may_answer": services.may_answer(self.request.user, self.order)}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk: int):
        return self.render(OrderAnswerForm())

    def post(self, request, pk: int):
        form = OrderAnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.order_answer(
                    order=self.order,
                    user=request.user,
                    report=form.cleaned_data["report"],
                    files=form.cleaned_data["files"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("整改报告已提交，等待督学审核。"))
                return redirect(self.order)
        return self.render(form, status=400)


class OrderAnswerAcceptView(ObjectActionView):
    model = RectificationOrder
    detail_view = RectificationOrderDetailView
    form_class = AcceptAnswerForm
    form_name = "accept_form"
    refused_message = _lazy("本次操作未保存。")

    def perform(self, data: dict) -> str:
        services.order_answer_accept(order=self.object, user=self.request.user)
        return _("已通过整改报告，整改通知已办结。")


class OrderAnswerSendBackView(ObjectActionView):
    model = RectificationOrder
    detail_view = RectificationOrderDetailView
    form_class = SendBackForm
    form_name = "send_back_form"
    refused_message = _lazy("请更正下列标红的内容，本次操作未保存。")

    def perform(self, data: dict) -> str:
        services.order_answer_send_back(order=self.object, user=self.request.user, reason=data["reason"])
        return _("已退回整改报告。")


class OrderAnswerFileView(AttachmentDownloadView):
    model = OrderAnswerAttachment
