"""A warning's page with its follow-up: status, owner, notes, and the form that changes them.

Anyone who reads the dashboard reads a warning they may see (a sub-district official: their own
area's; others: 404); only district-wide dashboard users (the bureau) change the follow-up.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from .follow_up import FollowUpStatus, WarningNote
from .follow_up_services import find_follow_up, may_follow_up, owner_choices, warning_follow_up
from .models import EarlyWarning
from .views import DashboardAccessMixin


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("跟进状态"), choices=FollowUpStatus.choices)
    owner = forms.ModelChoiceField(label=gettext_lazy("负责人"), queryset=None, required=False)
    note = forms.CharField(
        label=gettext_lazy("跟进记录"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices()


class WarningDetailView(DashboardAccessMixin, DetailView):
    template_name = "reports/warning_detail.html"
    context_object_name = "warning"

    def get_queryset(self):
        return EarlyWarning.objects.visible_to(self.request.user).select_related("subdistrict", "kindergarten")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        follow_up = find_follow_up(self.object)
        context.update(
            follow_up=follow_up,
            status_label=follow_up.get_status_display() if follow_up else FollowUpStatus.NEW.label,
            notes=WarningNote.objects.filter(follow_up=follow_up).select_related("author") if follow_up else [],
            may_follow_up=may_follow_up(self.request.user),
        )
        if context["may_follow_up"] and "form" not in context:
            context["form"] = FollowUpForm(
                initial={
                    "status": follow_up.status if follow_up else FollowUpStatus.ACKNOWLEDGED,
                    "owner": follow_up.owner_id if follow_up else self.request.user.pk,
                }
            )
        return context

    def post(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        if not may_follow_up(request.user):
            raise PermissionDenied(_("只有区教委工作人员可以跟进预警。"))
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                warning_follow_up(
                    warning=self.object,
                    user=request.user,
                    status=form.cleaned_data["status"],
                    owner=form.cleaned_data["owner"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("预警跟进已更新。"))
                return redirect("reports:warning_detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(form=form))
