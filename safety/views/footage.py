"""The footage access register's pages: the list, an entry with its decision and hand-over,
recording and (while pending) changing an entry, correcting a decided one by a new entry.

A decided entry has no edit page: asking for one answers 403 with the reason (the services and
the model refuse as well, whatever the path)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.mixins import ScopedQuerysetMixin

from ..choices import FootageStatus
from ..filtersets import FootageRequestFilterSet
from ..forms import (
    FootageCorrectionForm,
    FootageDecisionForm,
    FootageHandoverForm,
    FootageRequestForm,
    keepable_kindergartens,
)
from ..models import FootageHandover, FootageRequest, RecordLocked
from ..models.footage import LOCKED
from ..services import (
    footage_handover_record,
    footage_request_correct,
    footage_request_decide,
    footage_request_record,
    footage_request_update,
    may_keep_profile,
)
from ..tables import FootageRequestTable
from .records import RecordFormView


class FootageListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = FootageRequest.objects.select_related("kindergarten__subdistrict")
    filterset_class = FootageRequestFilterSet
    table_class = FootageRequestTable
    template_name = "safety/footage_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_record=keepable_kindergartens(self.request.user).exists(), **kwargs)


class FootageDetailView(ScopedQuerysetMixin, DetailView):
    queryset = FootageRequest.objects.select_related(
        "kindergarten__subdistrict", "decided_by", "recorded_by", "corrects"
    )
    template_name = "safety/footage_detail.html"

    def get_context_data(self, **kwargs):
        entry = self.object
        keeps = may_keep_profile(self.request.user, entry.kindergarten)
        handover = FootageHandover.objects.filter(request=entry).first()
        return super().get_context_data(
            can_keep=keeps,
            can_decide=keeps and entry.status == FootageStatus.PENDING,
            can_hand_over=keeps and entry.status == FootageStatus.APPROVED and handover is None,
            can_correct=keeps and entry.is_decided,
            handover=handover,
            corrections=FootageRequest.objects.visible_to(self.request.user).filter(corrects=entry),
            decision_form=FootageDecisionForm(),
            handover_form=FootageHandoverForm(
                initial={"handed_at": timezone.localtime().replace(second=0, microsecond=0)}
            ),
            **kwargs,
        )


class FootageCreateView(RecordFormView):
    form_class = FootageRequestForm
    template_name = "safety/footage_form.html"
    title = gettext_lazy("登记监控查看、调取或复制申请")
    done = gettext_lazy("已登记申请，等待审批。")
    list_url = reverse_lazy("safety:footage_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        data = dict(form.cleaned_data)
        return footage_request_record(kindergarten=data.pop("kindergarten"), user=self.request.user, **data)


class FootageEditView(RecordFormView):
    """Changing a pending entry; a decided one is locked (403 with the reason)."""

    model = FootageRequest
    form_class = FootageRequestForm
    template_name = "safety/footage_form.html"
    title = gettext_lazy("修改调取登记")
    done = gettext_lazy("已保存调取登记。")

    def check_keeper(self) -> None:
        super().check_keeper()
        if self.record.is_decided:
            raise RecordLocked(str(LOCKED))

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except RecordLocked as locked:
            # Refused with the reason and the way to correct it, not the generic 403 page.
            context = {"object": self.record, "message": str(locked)}
            return render(request, "safety/footage_locked.html", context, status=403)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        return footage_request_update(entry=self.record, user=self.request.user, **form.cleaned_data)


class FootageCorrectView(RecordFormView):
    """A new entry correcting a decided one; the form starts from the original."""

    model = FootageRequest
    form_class = FootageCorrectionForm
    template_name = "safety/footage_form.html"
    title = gettext_lazy("更正调取登记")
    done = gettext_lazy("已新建更正登记，等待审批；原登记保持不变。")

    def check_keeper(self) -> None:
        super().check_keeper()
        if not self.record.is_decided:
            raise PermissionDenied(_("待审批的登记可直接修改，无需更正。"))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The form edits a copy: the original (a decided entry) is never bound to a form.
        kwargs["instance"] = FootageRequest(
            kindergarten=self.record.kindergarten,
            **{
                name: getattr(self.record, name) for name in FootageCorrectionForm.Meta.fields if name != "kindergarten"
            },
        )
        return {**kwargs, "user": self.request.user}

    def save(self, form):
        data = dict(form.cleaned_data)
        reason = data.pop("correction_reason")
        return footage_request_correct(original=self.record, user=self.request.user, reason=reason, **data)


class FootageStepView(LoginRequiredMixin, View):
    """The decision and the hand-over (POST from the entry's page); the services check who and when."""

    def post(self, request, pk: int, step: str) -> HttpResponse:
        entry = get_object_or_404(FootageRequest.objects.visible_to(request.user), pk=pk)
        if step not in ("decide", "handover"):
            raise Http404
        if not may_keep_profile(request.user, entry.kindergarten):
            raise PermissionDenied
        form = FootageDecisionForm(request.POST) if step == "decide" else FootageHandoverForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect(entry)
        try:
            if step == "decide":
                approve = form.cleaned_data["decision"] == "approve"
                footage_request_decide(entry=entry, user=request.user, approve=approve, note=form.cleaned_data["note"])
                messages.success(request, _("已批准。") if approve else _("已登记不予批准。"))
            else:
                footage_handover_record(entry=entry, user=request.user, **form.cleaned_data)
                messages.success(request, _("已登记移交。"))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except RecordLocked as locked:
            messages.error(request, str(locked))
        return redirect(entry)
