"""The safety pages of a kindergarten: its profile evaluated against the rules, editing, drills."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView
from django_tables2 import SingleTableView

from accounts.history import history_entries
from accounts.mixins import ScopedQuerysetMixin
from accounts.permissions import Act, may
from kindergartens.models import Kindergarten

from ..compliance import evaluate_kindergarten
from ..forms import DrillForm, SafetyProfileForm
from ..models import Drill, Hazard
from ..selectors import with_coverage
from ..services import drill_record, may_keep_profile, profile_of, profile_save
from ..tables import KindergartenSafetyTable


class SafetyIndexView(LoginRequiredMixin, SingleTableView):
    """The kindergartens the user may see, with the four coverage rules; a director goes to their own."""

    table_class = KindergartenSafetyTable
    template_name = "safety/index.html"
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        if may(request.user, Act.FILL) and not may(request.user, Act.MANAGE):
            return redirect("safety:profile_detail", pk=request.user.kindergarten_id)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        visible = Kindergarten.objects.visible_to(self.request.user).operating().select_related("subdistrict")
        return with_coverage(visible, timezone.localdate()).order_by("subdistrict__code", "code")


class KindergartenScopedMixin(LoginRequiredMixin):
    """The kindergarten of the URL, if the user may see it (otherwise it does not exist: 404)."""

    @cached_property
    def kindergarten(self) -> Kindergarten:
        visible = Kindergarten.objects.visible_to(self.request.user).select_related("subdistrict")
        return get_object_or_404(visible, pk=self.kwargs["pk"])

    def require_keeper(self) -> None:
        if not may_keep_profile(self.request.user, self.kindergarten):
            raise PermissionDenied(_("只有本园园长或区教委工作人员可以维护安全工作档案。"))


class SafetyProfileDetailView(ScopedQuerysetMixin, DetailView):
    queryset = Kindergarten.objects.select_related("subdistrict")
    template_name = "safety/profile_detail.html"
    context_object_name = "kindergarten"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kindergarten = self.object
        today = timezone.localdate()
        rules, results = evaluate_kindergarten(kindergarten, today)
        profile = profile_of(kindergarten)
        context.update(
            profile=profile,
            rules=rules,
            results=results,
            unmet=sum(1 for r in results if not r.met),
            drills=Drill.objects.filter(kindergarten=kindergarten)[:8],
            hazards=Hazard.objects.visible_to(self.request.user).filter(kindergarten=kindergarten).still_open(),
            can_keep=may_keep_profile(self.request.user, kindergarten),
            can_open_hazard=may(self.request.user, Act.ENFORCE, kindergarten),
            history=history_entries(profile) if profile.pk else [],
            today=today,
        )
        return context


class SafetyProfileEditView(KindergartenScopedMixin, FormView):
    form_class = SafetyProfileForm
    template_name = "safety/profile_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.require_keeper()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": profile_of(self.kindergarten)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(kindergarten=self.kindergarten, **kwargs)

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        profile_save(kindergarten=self.kindergarten, user=self.request.user, **fields)
        messages.success(self.request, _("已保存安全工作档案。"))
        return redirect("safety:profile_detail", pk=self.kindergarten.pk)


class DrillCreateView(KindergartenScopedMixin, FormView):
    form_class = DrillForm
    template_name = "safety/drill_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.require_keeper()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"held_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(kindergarten=self.kindergarten, **kwargs)

    def form_valid(self, form):
        drill_record(kindergarten=self.kindergarten, user=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("已登记演练。"))
        return redirect("safety:profile_detail", pk=self.kindergarten.pk)
