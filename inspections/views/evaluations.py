"""Supervisory (external) evaluation pages: teams and their kindergartens, the evaluators' visit
record, the bureau's review, and the comparison of self-ratings with external ratings.

Thin views, as elsewhere in the app: the object is found within the user's scope (others get
404), the input goes to `services.evaluations`, and the service's verdict is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.choices import Role
from accounts.history import history_entries
from accounts.mixins import BureauRequiredMixin, ScopedQuerysetMixin
from accounts.models import User
from kindergartens.models import Kindergarten

from .. import services
from ..choices import AssessmentStatus, EvaluationStatus
from ..filtersets_evaluations import ExternalEvaluationFilterSet
from ..forms.evaluations import (
    EvaluationReviewForm,
    EvaluationTeamForm,
    ExternalEvaluationForm,
    TeamAssignFilterForm,
    TeamAssignForm,
)
from ..models import (
    EvaluationTeam,
    ExternalEvaluation,
    ExternalEvaluationAttachment,
    ExternalRating,
    Locked,
    SelfAssessment,
    SelfAssessmentRating,
)
from ..services import evaluations as evaluation_services
from ..tables_evaluations import ExternalEvaluationTable
from . import AttachmentDownloadView, BureauObjectMixin, add_errors, rating_sections

EVALUATION_QUERYSET = ExternalEvaluation.objects.select_related(
    "kindergarten__subdistrict", "cycle", "framework_version", "team", "submitted_by", "published_by"
)


def evaluation_url(evaluation: ExternalEvaluation) -> str:
    return reverse("inspections:external_evaluation_detail", args=[evaluation.pk])


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
            .annotate(
                evaluation_count=Count("evaluations", filter=Q(evaluations__in=visible), distinct=True),
                published_count=Count(
                    "evaluations",
                    filter=Q(evaluations__in=visible, evaluations__status=EvaluationStatus.PUBLISHED),
                    distinct=True,
                ),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_bureau=services.is_bureau(self.request.user), **kwargs)


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
            is_bureau=services.is_bureau(self.request.user),
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
            add_errors(form, error)
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
            add_errors(form, error)
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
        team = self.object
        current_team = ExternalEvaluation._base_manager.filter(
            kindergarten=OuterRef("kindergarten"), cycle=team.cycle
        ).values("team__name")[:1]
        rows = (
            evaluation_services.assignable_assignments(team.cycle, team)
            .select_related("kindergarten__subdistrict")
            .annotate(current_team=Subquery(current_team))
            .order_by("planned_year", "kindergarten__subdistrict__code", "kindergarten__code")
        )
        form = self.filter_form
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            if data.get("subdistrict"):
                rows = rows.filter(kindergarten__subdistrict=data["subdistrict"])
            if data.get("planned_year"):
                rows = rows.filter(planned_year=data["planned_year"])
            if data.get("q"):
                q = data["q"].strip()
                rows = rows.filter(Q(kindergarten__name__icontains=q) | Q(kindergarten__code__icontains=q))
        return rows

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
                add_errors(form, error)
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
        if request.user.is_authenticated and request.user.role != Role.INSPECTOR:
            return redirect("inspections:external_evaluation_list")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        evaluations = list(
            ExternalEvaluation.objects.visible_to(user)
            .filter(team__in=EvaluationTeam.objects.filter(members=user))
            .select_related("kindergarten__subdistrict", "cycle", "team")
            .annotate(rated=Count("ratings", filter=Q(ratings__level__isnull=False)))
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
            can_record=evaluation_services.may_record(user, evaluation),
            can_review=evaluation_services.may_review(user, evaluation),
            review_form=review_form,
            members=evaluation.team.members.order_by("username"),
            history=history_entries(evaluation),
        )
        return context


class ExternalEvaluationEditView(LoginRequiredMixin, TemplateView):
    """The evaluators' form: save the draft any time, submit when every point is rated."""

    template_name = "inspections/evaluation_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.evaluation = get_object_or_404(
            ExternalEvaluation.objects.restrict(request.user, "change").select_related(
                "kindergarten", "cycle", "framework_version", "team"
            ),
            pk=kwargs["pk"],
        )
        if not evaluation_services.is_team_member(request.user, self.evaluation.team_id):
            raise PermissionDenied(_("只有本评估组的成员可以记录该督导评估。"))
        if self.evaluation.status != EvaluationStatus.DRAFT:
            if request.method == "POST":
                raise Locked(_("督导评估已提交，评估组不能再修改；区教委退回后可继续修改。"))
            messages.info(request, _("该督导评估已提交，不能再修改。"))
            return redirect(evaluation_url(self.evaluation))
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, files=None) -> ExternalEvaluationForm:
        return ExternalEvaluationForm(
            data, files, evaluation=self.evaluation, points=self.evaluation.framework_version.points()
        )

    def get_context_data(self, form: ExternalEvaluationForm | None = None, missing=None, **kwargs):
        context = super().get_context_data(**kwargs)
        form = form or self.get_form()
        sections = evaluation_sections(self.evaluation, form)
        missing = evaluation_services.missing_points(self.evaluation) if missing is None else missing
        numbers = {r["point"].pk: r["point"].number for s in sections for i in s["indicators"] for r in i["rows"]}
        for point in missing:
            point.number = numbers.get(point.pk)
        total = len(numbers)
        context.update(
            evaluation=self.evaluation,
            form=form,
            sections=sections,
            general_attachments=general_attachments(self.evaluation),
            missing=missing,
            total=total,
            rated=total - len(missing),
        )
        return context

    def _invalid(self, form) -> HttpResponse:
        messages.error(self.request, _("请更正下列标红的内容，本次填写尚未保存。"))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def post(self, request, *args, **kwargs) -> HttpResponse:
        form = self.get_form(request.POST, request.FILES)
        if not form.is_valid():
            return self._invalid(form)
        data = form.cleaned_data
        try:
            with transaction.atomic():
                evaluation_services.evaluation_save(
                    evaluation=self.evaluation,
                    user=request.user,
                    ratings=form.rating_inputs(),
                    visit_date=data["visit_date"],
                    summary=data["summary"],
                    grade=data["grade"],
                )
                for point, file in form.uploads():
                    evaluation_services.evaluation_attachment_add(
                        evaluation=self.evaluation, user=request.user, file=file, point=point
                    )
        except ValidationError as error:
            form.add_service_errors(error)
            return self._invalid(form)

        self.evaluation.refresh_from_db()
        if request.POST.get("action") != "submit":
            messages.success(request, _("草稿已保存，可以随时回来继续记录。"))
            return redirect("inspections:external_evaluation_edit", pk=self.evaluation.pk)
        try:
            evaluation_services.evaluation_submit(evaluation=self.evaluation, user=request.user)
        except evaluation_services.IncompleteEvaluation as incomplete:
            for point in incomplete.missing:
                form.add_point_error(point.pk, _("请为该考查要点评分。"))
            if incomplete.visit_date_missing:
                form.add_error("visit_date", _("提交前须填写入园评估日期。"))
            messages.warning(
                request,
                _(
                    "草稿已保存，但还有 %(count)d 个考查要点未评分（或缺少入园评估日期），不能提交。请补全标红的内容后再提交。"
                )
                % {"count": len(incomplete.missing)},
            )
            return self.render_to_response(
                self.get_context_data(form=form, missing=incomplete.missing, submit_failed=True)
            )
        messages.success(request, _("督导评估已提交，等待区教委审定。提交后评估组不能再修改。"))
        return redirect(evaluation_url(self.evaluation))


class ExternalEvaluationReviewView(BureauRequiredMixin, View):
    def post(self, request, pk: int) -> HttpResponse:
        evaluation = get_object_or_404(ExternalEvaluation.objects.restrict(request.user, "change"), pk=pk)
        form = EvaluationReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == EvaluationReviewForm.PUBLISH:
                    evaluation_services.evaluation_publish(
                        evaluation=evaluation, user=request.user, grade=data["grade"], comment=data["comment"]
                    )
                    messages.success(request, _("督导评估已审定并公布。"))
                else:
                    evaluation_services.evaluation_return(
                        evaluation=evaluation, user=request.user, comment=data["comment"]
                    )
                    messages.success(request, _("督导评估已退回评估组修改。"))
                return redirect(evaluation_url(evaluation))
            except ValidationError as error:
                add_errors(form, error)
        view = ExternalEvaluationDetailView()
        view.setup(request, pk=pk)
        view.object = view.get_object()
        return view.render_to_response(view.get_context_data(review_form=form), status=400)


# --- self-rating beside external rating -------------------------------------------------------------------


@dataclass
class ComparisonRow:
    point: object
    indicator: object
    own: SelfAssessmentRating | None
    external: ExternalRating | None

    @property
    def own_value(self) -> int | None:
        return self.own.level.value if self.own and self.own.level_id else None

    @property
    def external_value(self) -> int | None:
        return self.external.level.value if self.external and self.external.level_id else None

    @property
    def difference(self) -> int | None:
        """External minus self: positive when the evaluators rated higher than the kindergarten."""
        if self.own_value is None or self.external_value is None:
            return None
        return self.external_value - self.own_value

    @property
    def differs(self) -> bool:
        return self.difference is not None and abs(self.difference) >= 1

    @property
    def big(self) -> bool:
        return self.difference is not None and abs(self.difference) >= 2

    @property
    def direction(self) -> str:
        """ "higher" when the evaluators rated above the self-rating, "lower" below, "" otherwise."""
        return _direction(self.difference)


def _direction(difference: float | None) -> str:
    if not difference:
        return ""
    return "higher" if difference > 0 else "lower"


def _average(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


@dataclass
class ComparisonArea:
    area: object
    rows: list[ComparisonRow] = field(default_factory=list)

    @property
    def own_average(self) -> float | None:
        return _average([r.own_value for r in self.rows if r.own_value is not None])

    @property
    def external_average(self) -> float | None:
        return _average([r.external_value for r in self.rows if r.external_value is not None])

    @property
    def difference(self) -> float | None:
        if self.own_average is None or self.external_average is None:
            return None
        return round(self.external_average - self.own_average, 2)

    @property
    def direction(self) -> str:
        return _direction(self.difference)

    @property
    def differing(self) -> int:
        return sum(1 for r in self.rows if r.differs)


def compared_self_assessment(evaluation: ExternalEvaluation, user) -> SelfAssessment | None:
    """The kindergarten's latest submitted or accepted self-assessment of the evaluation's cycle."""
    return (
        SelfAssessment.objects.visible_to(user)
        .filter(
            kindergarten_id=evaluation.kindergarten_id,
            cycle_id=evaluation.cycle_id,
            status__in=[AssessmentStatus.ACCEPTED, AssessmentStatus.SUBMITTED],
        )
        .order_by("-version")
        .first()
    )


def comparison(evaluation: ExternalEvaluation, self_assessment: SelfAssessment | None) -> list[ComparisonArea]:
    """Per area, every point with both ratings. Five queries, however many points."""
    external = {r.point_id: r for r in ExternalRating.objects.filter(evaluation=evaluation).select_related("level")}
    own = {}
    if self_assessment is not None:
        own = {
            r.point_id: r
            for r in SelfAssessmentRating.objects.filter(assessment=self_assessment).select_related("level")
        }
    areas = []
    for area in evaluation.framework_version.structure():
        block = ComparisonArea(area=area)
        for indicator in area.indicator_list:
            for point in indicator.point_list:
                block.rows.append(ComparisonRow(point, indicator, own.get(point.pk), external.get(point.pk)))
        areas.append(block)
    return areas


class ExternalEvaluationCompareView(ScopedQuerysetMixin, DetailView):
    """Self-rating and external rating side by side per point; differences highlighted."""

    queryset = EVALUATION_QUERYSET
    template_name = "inspections/evaluation_compare.html"
    context_object_name = "evaluation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self_assessment = compared_self_assessment(self.object, self.request.user)
        areas = comparison(self.object, self_assessment)
        rows = [r for a in areas for r in a.rows]
        context.update(
            self_assessment=self_assessment,
            areas=areas,
            differing=sum(1 for r in rows if r.differs),
            higher=sum(1 for r in rows if r.differs and r.difference > 0),
            lower=sum(1 for r in rows if r.differs and r.difference < 0),
            total=len(rows),
            own_average=_average([r.own_value for r in rows if r.own_value is not None]),
            external_average=_average([r.external_value for r in rows if r.external_value is not None]),
        )
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
            return redirect(evaluation_url(attachment.evaluation))
        messages.success(request, _("已删除附件“%(name)s”。") % {"name": attachment.original_name})
        return redirect("inspections:external_evaluation_edit", pk=attachment.evaluation_id)
