"""The safe-campus rules for everyone signed in; new versions (and corrections of versions that
have not begun) for bureau staff. Every change is a service call, recorded in the history."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from accounts.history import history_entries
from accounts.mixins import BureauRequiredMixin, ScopedQuerysetMixin
from accounts.permissions import Act, may

from ..forms import SafetyRuleSetForm
from ..models import SafetyRuleSet
from ..services import RULE_FIELDS, rule_set_editable, rule_set_supersede, rule_set_update, rule_set_values

IN_FORCE, UPCOMING, EXPIRED = "in_force", "upcoming", "expired"
STATUS_LABELS = {IN_FORCE: _("生效中"), UPCOMING: _("尚未生效"), EXPIRED: _("已失效")}


def status_of(rule_set: SafetyRuleSet, today: datetime.date) -> str:
    if rule_set.valid_from > today:
        return UPCOMING
    if rule_set.valid_to is not None and rule_set.valid_to < today:
        return EXPIRED
    return IN_FORCE


def rule_rows(rule_set: SafetyRuleSet) -> list[tuple[str, object]]:
    """(label, value) of every value of a version, the guard bands spelled out."""
    rows = []
    for name in RULE_FIELDS:
        if name in ("name", "source"):
            continue
        value = getattr(rule_set, name)
        if name == "guard_bands":
            value = "；".join(_("%(people)d 人以内 %(guards)d 名") % {"people": p, "guards": g} for p, g in value)
        rows.append((SafetyRuleSet._meta.get_field(name).verbose_name, value))
    return rows


class SafetyRuleSetListView(ScopedQuerysetMixin, ListView):
    queryset = SafetyRuleSet.objects.order_by("-valid_from")
    template_name = "safety/rules_list.html"
    context_object_name = "versions"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            rows=[(v, STATUS_LABELS[status_of(v, today)], status_of(v, today)) for v in context["versions"]],
            can_manage=may(self.request.user, Act.MANAGE),
            today=today,
        )
        return context


class SafetyRuleSetDetailView(ScopedQuerysetMixin, DetailView):
    queryset = SafetyRuleSet.objects.all()
    template_name = "safety/rules_detail.html"
    context_object_name = "version"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        status = status_of(self.object, today)
        context.update(
            status=status,
            status_label=STATUS_LABELS[status],
            values=rule_rows(self.object),
            can_edit=may(self.request.user, Act.MANAGE) and rule_set_editable(self.object, today),
            can_manage=may(self.request.user, Act.MANAGE),
            history=history_entries(self.object),
        )
        return context


class SafetyRuleSetCreateView(BureauRequiredMixin, FormView):
    """A new version, starting from the values of the one in force."""

    form_class = SafetyRuleSetForm
    template_name = "safety/rules_form.html"

    @cached_property
    def current(self) -> SafetyRuleSet | None:
        today = timezone.localdate()
        return SafetyRuleSet.objects.for_day(today) or SafetyRuleSet.objects.order_by("-valid_from").first()

    def get_initial(self):
        return rule_set_values(self.current)

    def get_context_data(self, **kwargs):
        return super().get_context_data(current=self.current, **kwargs)

    def form_valid(self, form):
        try:
            version = rule_set_supersede(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("已录入新版本“%(name)s”。") % {"name": version.name})
        return redirect("safety:rules_detail", pk=version.pk)


class SafetyRuleSetEditView(BureauRequiredMixin, FormView):
    """Corrections to a version that has not begun; a begun one is superseded, never edited."""

    form_class = SafetyRuleSetForm
    template_name = "safety/rules_form.html"

    @cached_property
    def version(self) -> SafetyRuleSet:
        return get_object_or_404(SafetyRuleSet.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if may(request.user, Act.MANAGE) and not rule_set_editable(self.version):
            messages.error(request, _("该版本已经生效（或已过期），不能修改；请录入新版本取代它。"))
            return redirect("safety:rules_detail", pk=self.version.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"valid_from": self.version.valid_from, **rule_set_values(self.version)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(version=self.version, **kwargs)

    def form_valid(self, form):
        try:
            rule_set_update(rule_set=self.version, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect("safety:rules_detail", pk=self.version.pk)
