"""Teaching research: clusters (with teams and activities) and the pairings of strong
kindergartens with weaker ones, with candidates read from the published evaluation grades."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from accounts.mixins import BureauRequiredMixin, ScopedQuerysetMixin
from accounts.permissions import Act, may
from kindergartens.models import Kindergarten

from ..filtersets import PairingFilterSet, ResearchClusterFilterSet
from ..forms import ActivityForm, ClusterForm, PairingForm, ReviewForm, TeamForm
from ..models import Pairing, ResearchActivity, ResearchCluster, ResearchTeam
from ..selectors_development import STRONG_GRADES, WEAKER_GRADES, pairing_candidates
from ..services import activity_record, cluster_save, pairing_review_save, pairing_save, team_save


def _errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class ResearchListView(ScopedQuerysetMixin, FilterView):
    queryset = (
        ResearchCluster.objects.select_related("lead")
        .annotate(member_count=Count("members", distinct=True), team_count=Count("teams", distinct=True))
        .order_by("name")
    )
    filterset_class = ResearchClusterFilterSet
    template_name = "staff/research_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["activities"] = (
            ResearchActivity.objects.visible_to(self.request.user)
            .select_related("team__cluster")
            .annotate(participants=Count("training_records"))
            .order_by("-held_on")[:10]
        )
        return context


class ResearchClusterDetailView(ScopedQuerysetMixin, DetailView):
    queryset = ResearchCluster.objects.select_related("lead").prefetch_related(
        Prefetch("members", queryset=Kindergarten.objects.select_related("subdistrict").order_by("code")),
        "teams__members",
        "teams__leader",
    )
    template_name = "staff/research_detail.html"
    context_object_name = "cluster"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cluster = self.object
        context["activities"] = (
            ResearchActivity.objects.filter(team__cluster=cluster)
            .select_related("team", "host")
            .annotate(participants=Count("training_records"), total_hours=Sum("training_records__hours"))
            .order_by("-held_on", "pk")
        )
        if may(self.request.user, Act.MANAGE):
            context["activity_form"] = ActivityForm(cluster=cluster)
            context["team_form"] = TeamForm(cluster=cluster)
        return context


class ResearchClusterCreateView(BureauRequiredMixin, FormView):
    form_class = ClusterForm
    template_name = "staff/research_form.html"

    def form_valid(self, form):
        try:
            cluster = cluster_save(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已建立教研片区。"))
        return redirect(cluster)


class ResearchClusterEditView(ResearchClusterCreateView):
    """The bureau changes a cluster after creation: name, lead, member kindergartens, description."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cluster = get_object_or_404(ResearchCluster.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.cluster}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cluster=self.cluster, **kwargs)

    def form_valid(self, form):
        try:
            cluster_save(user=self.request.user, cluster=self.cluster, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存教研片区。"))
        return redirect(self.cluster)


class ResearchTeamEditView(BureauRequiredMixin, FormView):
    """The bureau changes a research team: name, topic, leader and members (people in post at the
    cluster's kindergartens)."""

    form_class = TeamForm
    template_name = "staff/research_team_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            teams = ResearchTeam.objects.filter(cluster__in=ResearchCluster.objects.visible_to(request.user))
            self.team = get_object_or_404(teams.select_related("cluster"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cluster": self.team.cluster}

    def get_initial(self):
        team = self.team
        return {"name": team.name, "topic": team.topic, "leader": team.leader, "members": list(team.members.all())}

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.team, cluster=self.team.cluster, **kwargs)

    def form_valid(self, form):
        try:
            team_save(user=self.request.user, cluster=self.team.cluster, team=self.team, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存教研组。"))
        return redirect(self.team.cluster)


class ResearchActivityCreateView(BureauRequiredMixin, View):
    """POST an activity of one of the cluster's teams, with its participants."""

    def post(self, request, pk: int):
        cluster = get_object_or_404(ResearchCluster.objects.all(), pk=pk)
        form = ActivityForm(request.POST, cluster=cluster)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect(cluster)
        try:
            activity_record(user=request.user, host=None, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(request, _("已登记教研活动，参加人员的培训学时已计入。"))
        return redirect(cluster)


class ResearchTeamCreateView(BureauRequiredMixin, View):
    """POST a research team of the cluster, its leader and members."""

    def post(self, request, pk: int):
        cluster = get_object_or_404(ResearchCluster.objects.all(), pk=pk)
        form = TeamForm(request.POST, cluster=cluster)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect(cluster)
        try:
            team_save(user=request.user, cluster=cluster, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(request, _("已建立教研组。"))
        return redirect(cluster)


class PairingListView(ScopedQuerysetMixin, FilterView):
    queryset = (
        Pairing.objects.select_related("strong", "weak")
        .annotate(review_count=Count("reviews"))
        .order_by("-started_on", "pk")
    )
    filterset_class = PairingFilterSet
    template_name = "staff/pairing_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = Kindergarten.objects.visible_to(self.request.user)
        context["weaker"] = pairing_candidates(visible, WEAKER_GRADES)[:50]
        context["strong"] = pairing_candidates(visible, STRONG_GRADES)[:50]
        context["can_manage"] = may(self.request.user, Act.MANAGE)
        return context


class PairingCreateView(BureauRequiredMixin, FormView):
    form_class = PairingForm
    template_name = "staff/pairing_form.html"

    def get_initial(self):
        initial = {"started_on": timezone.localdate()}
        for side in ("strong", "weak"):
            if self.request.GET.get(side, "").isdigit():
                initial[side] = int(self.request.GET[side])
        return initial

    def form_valid(self, form):
        try:
            pairing = pairing_save(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已建立结对帮扶。"))
        return redirect(pairing)


class PairingDetailView(ScopedQuerysetMixin, DetailView):
    queryset = Pairing.objects.select_related("strong__subdistrict", "weak__subdistrict").prefetch_related("reviews")
    template_name = "staff/pairing_detail.html"
    context_object_name = "pairing"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if may(self.request.user, Act.MANAGE):
            today = timezone.localdate()
            context["review_form"] = ReviewForm(initial={"year": today.year, "reviewed_on": today})
        return context


class PairingReviewView(BureauRequiredMixin, View):
    def post(self, request, pk: int):
        pairing = get_object_or_404(Pairing.objects.all(), pk=pk)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                pairing_review_save(user=request.user, pairing=pairing, **form.cleaned_data)
            except ValidationError as error:
                _errors_to_messages(request, error)
            else:
                messages.success(request, _("已保存年度评议。"))
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return redirect(pairing)
