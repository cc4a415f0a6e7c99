"""Supervisory (external) evaluation pages: teams and their kindergartens, the evaluators' visit
record, the bureau's review, and the comparison of self-ratings with external ratings.

Thin views, as elsewhere in the app: the object is found within the user's scope (others get
404), the input goes to `services.evaluations`, and the service's verdict is shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.history import history_entries
from accounts.mixins import BureauRequiredMixin, ScopedQuerysetMixin
from accounts.models import User
from accounts.permissions import Act, may
from kindergartens.models import Kindergarten

from ..choices import EvaluationStatus
from ..filtersets import ExternalEvaluationFilterSet
from ..forms.common import add_service_errors
from ..forms.evaluations import (
    EvaluationReviewForm,
    EvaluationTeamForm,
    ExternalEvaluationForm,
    TeamAssignFilterForm,
    TeamAssignForm,
)
from ..models import EvaluationTeam, ExternalEvaluation, ExternalEvaluationAttachment, ExternalRating, Locked
from ..selectors import compared_self_assessment, comparison, comparison_summary, team_candidates
from ..services import evaluations as evaluation_services
from ..tables import ExternalEvaluationTable
from .common import AttachmentDownloadView, BureauObjectMixin, ObjectActionView, RatingsEditView, rating_sections

EVALUATION_QUERYSET = ExternalEvaluation.objects.select_related(
    "kindergarten__subdistrict", "cycle", "framework_version", "team", "submitted_by", "published_by"
)


# --- teams ---------------------------------------------------------------------------------------


class EvaluationTeamListView(ScopedQuerysetMixin, ListView):
    """The bureau sees every team; an evaluator the teams they belong to."""

    model = EvaluationTeam
    template_name = "inspections/team_list.html"

    def get_queryset(self):
        # Counted over the evaluations the user may see, not over the whole team's.
        visible = ExternalEvaluation.objects.visible_to(self.request.user)
        return (
            super()
            .get_queryset()
            .select_related("cycle", "leader")
            .prefetch_related(Prefetch("members", queryset=User.objects.order_by("username")))
            .with_evaluation_counts(visible)
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_manage=may(self.request.user, Act.MANAGE), **kwargs)


class EvaluationTeamDetailView(ScopedQuerysetMixin, DetailView):
    model = EvaluationTeam
    template_name = "inspections/team_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("cycle", "leader")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        team = self.object
        evaluations = (
            ExternalEvaluation.objects.visible_to(self.request.user)
            .filter(team=team)
            .select_related("kindergarten__subdistrict")
            .order_by("kindergarten__subdistrict__code", "kindergarten__code")
        )
        context.update(
            members=team.members.order_by("username"),
            evaluations=evaluations,
            can_manage=may(self.request.user, Act.MANAGE),
            history=history_entries(team),
        )
        return context


class TeamFormMixin:
    form_class = EvaluationTeamForm
    template_name = "inspections/team_form.html"

    def team_values(self, form) -> dict:
        data = form.cleaned_data
        return {
            "name": data["name"],
            "leader": data["leader"],
            "members": list(data["members"]),
            "note": data["note"],
        }


class EvaluationTeamCreateView(BureauRequiredMixin, TeamFormMixin, FormView):
    def get_initial(self):
        from ..models import EvaluationCycle

        cycle = EvaluationCycle.objects.current()
        return {"cycle": cycle.pk} if cycle else {}

    def form_valid(self, form):
        try:
            team = evaluation_services.evaluation_team_create(
                cycle=form.cleaned_data["cycle"], user=self.request.user, **self.team_values(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已建立评估组，可以为其分配幼儿园。"))
        return redirect("inspections:team_detail", pk=team.pk)


class EvaluationTeamUpdateView(BureauObjectMixin, TeamFormMixin, FormView):
    model = EvaluationTeam

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form):
        try:
            evaluation_services.evaluation_team_update(
                team=self.object, user=self.request.user, **self.team_values(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存评估组。"))
        return redirect("inspections:team_detail", pk=self.object.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.object, **kwargs)


class TeamAssignView(BureauObjectMixin, TemplateView):
    """Picks kindergartens of the cycle's plan (narrowed by sub-district, planned year, name) for a team."""

    model = EvaluationTeam
    template_name = "inspections/team_assign.html"

    @cached_property
    def filter_form(self) -> TeamAssignFilterForm:
        return TeamAssignFilterForm(self.request.GET or None, cycle=self.object.cycle)

    def candidates(self):
        form = self.filter_form
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        return team_candidates(
            self.object, subdistrict=data.get("subdistrict"), planned_year=data.get("planned_year"), q=data.get("q")
        )

    def get_context_data(self, form: TeamAssignForm | None = None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            team=self.object,
            filter_form=self.filter_form,
            candidates=self.candidates(),
            form=form,
            selected={int(v) for v in self.request.POST.getlist("kindergartens") if v.isdecimal()},
        )
        return context

    def post(self, request, pk: int) -> HttpResponse:
        plan = Kindergarten.objects.filter(cycle_assignments__cycle=self.object.cycle)
        form = TeamAssignForm(request.POST, kindergartens=plan)
        if form.is_valid():
            try:
                result = evaluation_services.evaluation_assign(
                    team=self.object, kindergartens=form.cleaned_data["kindergartens"], user=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("已分配：新建督导评估 %(created)d 份，从其他评估组改派 %(moved)d 份。")
                    % {"created": result.created, "moved": result.moved},
                )
                return redirect("inspections:team_detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- evaluations ------------------------------------------------------------------------------------


class ExternalEvaluationListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = ExternalEvaluation.objects.select_related("kindergarten__subdistrict", "cycle", "team")
    filterset_class = ExternalEvaluationFilterSet
    table_class = ExternalEvaluationTable
    template_name = "inspections/evaluation_list.html"
    paginate_by = 25


class MyEvaluationsView(LoginRequiredMixin, TemplateView):
    """An evaluator's starting point: the evaluations of their teams, by what is to be done."""

    template_name = "inspections/evaluation_mine.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may(request.user, Act.RECORD):
            return redirect("inspections:external_evaluation_list")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        evaluations = list(
            ExternalEvaluation.objects.visible_to(user)
            .of_teams_with(user)
            .select_related("kindergarten__subdistrict", "cycle", "team")
            .with_rated_count()
            .order_by("-cycle__start_year", "visit_date", "kindergarten__code")
        )
        groups = [
            (
                EvaluationStatus.DRAFT,
                _("待记录（草稿）"),
                [e for e in evaluations if e.status == EvaluationStatus.DRAFT],
            ),
            (
                EvaluationStatus.SUBMITTED,
                _("已提交，待区教委审定"),
                [e for e in evaluations if e.status == EvaluationStatus.SUBMITTED],
            ),
            (EvaluationStatus.PUBLISHED, _("已公布"), [e for e in evaluations if e.is_published]),
        ]
        context.update(
            groups=groups,
            teams=EvaluationTeam.objects.filter(members=user).select_related("cycle", "leader"),
            total=len(evaluations),
        )
        return context


def evaluation_sections(evaluation: ExternalEvaluation, form: ExternalEvaluationForm | None = None) -> list[dict]:
    return rating_sections(
        evaluation.framework_version,
        ExternalRating.objects.filter(evaluation=evaluation),
        ExternalEvaluationAttachment.objects.filter(evaluation=evaluation),
        form,
    )


def general_attachments(evaluation: ExternalEvaluation) -> list[ExternalEvaluationAttachment]:
    return list(ExternalEvaluationAttachment.objects.filter(evaluation=evaluation, point__isnull=True))


class ExternalEvaluationDetailView(ScopedQuerysetMixin, DetailView):
    """The evaluation, read only, with the bureau's review form while it waits for approval."""

    queryset = EVALUATION_QUERYSET
    template_name = "inspections/evaluation_detail.html"
    context_object_name = "evaluation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = self.object
        user = self.request.user
        sections = evaluation_sections(evaluation)
        rows = [r for s in sections for i in s["indicators"] for r in i["rows"]]
        review_form = kwargs.get("review_form") or EvaluationReviewForm(
            initial={"grade": evaluation.grade, "decision": EvaluationReviewForm.PUBLISH}
        )
        context.update(
            sections=sections,
            general_attachments=general_attachments(evaluation),
            rated=sum(1 for r in rows if r["rating"] and r["rating"].level_id),
            total=len(rows),
            can_record=evaluation.is_recordable_by(user),
            can_review=may(user, Act.REVIEW) and evaluation.is_submitted,
            review_form=review_form,
            members=evaluation.team.members.order_by("username"),
            history=history_entries(evaluation),
        )
        return context


class ExternalEvaluationEditView(RatingsEditView):
    """The evaluators' form: save the draft any time, submit when every point is rated."""

    model = ExternalEvaluation
    related = ("kindergarten", "cycle", "framework_version", "team")
    template_name = "inspections/evaluation_form.html"
    record_name = "evaluation"
    edit_url_name = "inspections:external_evaluation_edit"
    attachment_delete_url = "inspections:external_evaluation_attachment_delete"
    refusal = _lazy("只有本评估组的成员可以记录该督导评估。")
    locked_message = _lazy("督导评估已提交，评估组不能再修改；区教委退回后可继续修改。")
    already_submitted = _lazy("该督导评估已提交，不能再修改。")
    saved_message = _lazy("草稿已保存，可以随时回来继续记录。")
    submitted_message = _lazy("督导评估已提交，等待区教委审定。提交后评估组不能再修改。")
    incomplete = evaluation_services.IncompleteEvaluation

    def permits(self, user, record: ExternalEvaluation) -> bool:
        # The state (a draft) is checked by the base view, which tells the two refusals apart.
        return may(user, Act.RECORD, record.kindergarten_id) and record.team.has_member(user)

    def get_form(self, data=None, files=None) -> ExternalEvaluationForm:
        return ExternalEvaluationForm(
            data, files, evaluation=self.record, points=self.record.framework_version.points()
        )

    def missing_points(self) -> list:
        return evaluation_services.missing_points(self.record)

    def sections(self, form: ExternalEvaluationForm) -> list[dict]:
        return evaluation_sections(self.record, form)

    def general_attachments(self) -> list[ExternalEvaluationAttachment]:
        return general_attachments(self.record)

    def save(self, form: ExternalEvaluationForm) -> None:
        data = form.cleaned_data
        evaluation_services.evaluation_save(
            evaluation=self.record,
            user=self.request.user,
            ratings=form.rating_inputs(),
            visit_date=data["visit_date"],
            summary=data["summary"],
            grade=data["grade"],
            uploads=form.uploads(),
        )

    def submit(self) -> None:
        evaluation_services.evaluation_submit(evaluation=self.record, user=self.request.user)

    def mark_incomplete(self, form: ExternalEvaluationForm, incomplete) -> None:
        super().mark_incomplete(form, incomplete)
        if incomplete.visit_date_missing:
            form.add_error("visit_date", _("提交前须填写入园评估日期。"))

    def incomplete_message(self, incomplete) -> str:
        return _(
            "草稿已保存，但还有 %(count)d 个考查要点未评分（或缺少入园评估日期），不能提交。请补全标红的内容后再提交。"
        ) % {"count": len(incomplete.missing)}


class ExternalEvaluationReviewView(BureauRequiredMixin, ObjectActionView):
    model = ExternalEvaluation
    form_class = EvaluationReviewForm
    form_name = "review_form"
    detail_view = ExternalEvaluationDetailView

    def perform(self, data: dict) -> str:
        if data["decision"] == EvaluationReviewForm.PUBLISH:
            evaluation_services.evaluation_publish(
                evaluation=self.object, user=self.request.user, grade=data["grade"], comment=data["comment"]
            )
            return _("督导评估已审定并公布。")
        evaluation_services.evaluation_return(evaluation=self.object, user=self.request.user, comment=data["comment"])
        return _("督导评估已退回评估组修改。")


class ExternalEvaluationCompareView(ScopedQuerysetMixin, DetailView):
    """Self-rating and external rating side by side per point; differences highlighted."""

    queryset = EVALUATION_QUERYSET
    template_name = "inspections/evaluation_compare.html"
    context_object_name = "evaluation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self_assessment = compared_self_assessment(self.object, self.request.user)
        areas = comparison(self.object, self_assessment)
        context.update(self_assessment=self_assessment, areas=areas, **comparison_summary(areas))
        return context


# --- attachments ---------------------------------------------------------------------------------------


class ExternalEvaluationAttachmentView(AttachmentDownloadView):
    model = ExternalEvaluationAttachment


class ExternalEvaluationAttachmentDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk: int) -> HttpResponse:
        attachment = get_object_or_404(
            ExternalEvaluationAttachment.objects.restrict(request.user, "change").select_related("evaluation"), pk=pk
        )
        try:
            evaluation_services.evaluation_attachment_delete(attachment=attachment, user=request.user)
        except (PermissionDenied, Locked) as error:
            messages.error(request, str(error))
            return redirect(attachment.evaluation)
        messages.success(request, _("已删除附件“%(name)s”。") % {"name": attachment.original_name})
        return redirect("inspections:external_evaluation_edit", pk=attachment.evaluation_id)
