"""Quality-evaluation pages: the handbook and its versions, the cycle plan, self-assessments.

Views stay thin: they find the object within the user's scope (others get 404), hand the
input to a service, and show the service's verdict. Who may do what is decided once, in
`services` and in the models' own guards.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, ListView, RedirectView, TemplateView, UpdateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from accounts.history import history_entries
from accounts.mixins import BureauRequiredMixin, ScopedQuerysetMixin
from chaoyang_preschool.spreadsheets import ImportRejected, SpreadsheetError, xlsx_response

from .. import services
from ..choices import AssessmentStatus
from ..filtersets import CycleAssignmentFilterSet, SelfAssessmentFilterSet
from ..forms import (
    AssessmentPointForm,
    CycleAssignmentForm,
    EvaluationCycleForm,
    FrameworkCopyForm,
    FrameworkVersionForm,
    PointRatingsForm,
    PointsImportForm,
    ReviewForm,
    SelfAssessmentForm,
    files_field,
    level_field,
)
from ..models import (
    AssessmentPoint,
    AttachmentBase,
    CycleAssignment,
    EvaluationCycle,
    FrameworkVersion,
    Locked,
    SelfAssessment,
    SelfAssessmentAttachment,
    SelfAssessmentRating,
)
from ..spreadsheets import points_sheets
from ..tables import CycleAssignmentTable, SelfAssessmentTable

# --- helpers --------------------------------------------------------------------------------


def error_messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: under the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class BureauObjectMixin(BureauRequiredMixin):
    """Bureau pages about one object, found in the bureau's change scope."""

    model = None

    @cached_property
    def object(self):
        return get_object_or_404(self.model.objects.restrict(self.request.user, "change"), pk=self.kwargs["pk"])


class InspectionsIndexView(LoginRequiredMixin, RedirectView):
    """Directors start at their own self-assessment, evaluators at their evaluations; everybody
    else at the cycle plan."""

    def get_redirect_url(self, *args, **kwargs) -> str:
        if self.request.user.is_director:
            return reverse("inspections:self_assessment_mine")
        if self.request.user.role == "inspector":
            return reverse("inspections:external_evaluation_mine")
        cycle = EvaluationCycle.objects.current()
        if cycle is not None:
            return cycle.get_absolute_url()
        return reverse("inspections:framework_list")


# --- the handbook ------------------------------------------------------------------------------


class FrameworkVersionListView(ScopedQuerysetMixin, ListView):
    model = FrameworkVersion
    template_name = "inspections/framework_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("based_on", "published_by", "rating_scale")
            .annotate(
                point_count=Count("areas__indicators__points", distinct=True),
                cycle_count=Count("cycles", distinct=True),
            )
        )


class FrameworkVersionDetailView(ScopedQuerysetMixin, DetailView):
    model = FrameworkVersion
    template_name = "inspections/framework_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.object
        structure = version.structure()
        is_bureau = services.is_bureau(self.request.user)
        context.update(
            structure=structure,
            point_count=sum(len(i.point_list) for a in structure for i in a.indicator_list),
            empty_indicators=[i for a in structure for i in a.indicator_list if not i.point_list],
            can_edit=is_bureau and version.is_draft,
            can_copy=is_bureau and version.is_published,
            copy_form=FrameworkCopyForm(),
            cycles=version.cycles.all(),
            history=history_entries(version),
        )
        return context


class FrameworkVersionCopyView(BureauObjectMixin, View):
    model = FrameworkVersion

    def post(self, request, pk: int) -> HttpResponse:
        form = FrameworkCopyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写新版本名称。"))
            return redirect(self.object)
        try:
            draft = services.framework_version_copy(
                source=self.object, user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            messages.error(request, "；".join(error_messages(error)))
            return redirect(self.object)
        messages.success(
            request, _("已复制为草稿第 %(version)s 版，可以修改考查要点后发布。") % {"version": draft.version}
        )
        return redirect(draft)


class DraftRequiredMixin:
    """Handbook editing pages: a published version is never edited, only copied."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and services.is_bureau(request.user) and not self.version.is_draft:
            messages.error(request, _("已发布的评估手册版本不能修改，请复制为新草稿后修改。"))
            return redirect(self.version)
        return super().dispatch(request, *args, **kwargs)


class FrameworkVersionUpdateView(BureauObjectMixin, DraftRequiredMixin, FormView):
    model = FrameworkVersion
    form_class = FrameworkVersionForm
    template_name = "inspections/framework_form.html"

    @property
    def version(self) -> FrameworkVersion:
        return self.object

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form):
        try:
            services.framework_version_update(
                version=self.object,
                user=self.request.user,
                name=form.cleaned_data["name"],
                source=form.cleaned_data["source"],
                description=form.cleaned_data["description"],
                rating_scale=form.cleaned_data["rating_scale"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)


class FrameworkVersionPublishView(BureauObjectMixin, View):
    model = FrameworkVersion

    def post(self, request, pk: int) -> HttpResponse:
        try:
            version = services.framework_version_publish(version=self.object, user=request.user)
        except (ValidationError, Locked) as error:
            messages.error(
                request, "；".join(error_messages(error)) if isinstance(error, ValidationError) else str(error)
            )
            return redirect(self.object)
        messages.success(request, _("已发布第 %(version)s 版，此后不能再修改。") % {"version": version.version})
        return redirect(version)


class FrameworkVersionDeleteView(BureauObjectMixin, View):
    model = FrameworkVersion

    def post(self, request, pk: int) -> HttpResponse:
        try:
            services.framework_version_delete(version=self.object, user=request.user)
        except Locked as error:
            messages.error(request, str(error))
            return redirect(self.object)
        messages.success(request, _("已删除草稿。"))
        return redirect("inspections:framework_list")


class PointFormMixin(DraftRequiredMixin):
    form_class = AssessmentPointForm
    template_name = "inspections/point_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "version": self.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(version=self.version, **kwargs)

    def point_values(self, form) -> dict:
        data = form.cleaned_data
        return {
            "key_indicator": data["key_indicator"],
            "text": data["text"],
            "guidance": data["guidance"],
            "evidence_expected": data["evidence_expected"],
            "origin": data["origin"],
            "source": data["source"],
            "rating_scale": data["rating_scale"],
        }

    def saved(self, point: AssessmentPoint) -> HttpResponse:
        messages.success(self.request, _("已保存考查要点。"))
        return HttpResponseRedirect(f"{self.version.get_absolute_url()}#indicator-{point.key_indicator_id}")


class PointCreateView(BureauObjectMixin, PointFormMixin, FormView):
    model = FrameworkVersion

    @property
    def version(self) -> FrameworkVersion:
        return self.object

    def get_initial(self):
        indicator = self.request.GET.get("indicator")
        return {"key_indicator": indicator} if indicator and indicator.isdigit() else {}

    def form_valid(self, form):
        try:
            point = services.assessment_point_create(user=self.request.user, **self.point_values(form))
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        return self.saved(point)


class PointUpdateView(BureauObjectMixin, PointFormMixin, FormView):
    model = AssessmentPoint

    @property
    def version(self) -> FrameworkVersion:
        return self.object.key_indicator.area.framework_version

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form):
        try:
            point = services.assessment_point_update(
                point=self.object, user=self.request.user, **self.point_values(form)
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        return self.saved(point)

    def get_context_data(self, **kwargs):
        return super().get_context_data(point=self.object, **kwargs)


class PointDeleteView(BureauObjectMixin, View):
    model = AssessmentPoint

    def post(self, request, pk: int) -> HttpResponse:
        version = self.object.key_indicator.area.framework_version
        try:
            services.assessment_point_delete(point=self.object, user=request.user)
        except Locked as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已删除考查要点。"))
        return HttpResponseRedirect(f"{version.get_absolute_url()}#indicator-{self.object.key_indicator_id}")


class PointMoveView(BureauObjectMixin, View):
    model = AssessmentPoint

    def post(self, request, pk: int) -> HttpResponse:
        version = self.object.key_indicator.area.framework_version
        offset = -1 if request.POST.get("direction") == "up" else 1
        try:
            services.assessment_point_move(point=self.object, user=request.user, offset=offset)
        except Locked as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(f"{version.get_absolute_url()}#point-{self.object.pk}")


class PointsImportView(BureauObjectMixin, DraftRequiredMixin, FormView):
    model = FrameworkVersion
    form_class = PointsImportForm
    template_name = "inspections/points_import.html"

    @property
    def version(self) -> FrameworkVersion:
        return self.object

    def form_valid(self, form):
        try:
            result = services.import_assessment_points(
                version=self.object,
                file=form.cleaned_data["file"],
                user=self.request.user,
                replace=form.cleaned_data["replace"],
            )
        except SpreadsheetError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        except ImportRejected as rejected:
            return self.render_to_response(self.get_context_data(form=form, rejected=rejected))
        messages.success(
            self.request,
            _("已导入 %(created)d 个考查要点（删除原有 %(deleted)d 个）。")
            % {"created": result.created, "deleted": result.deleted},
        )
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(version=self.object, **kwargs)


class PointsExportView(ScopedQuerysetMixin, DetailView):
    """The version's points as an xlsx (or, with ?template=1, the empty import template)."""

    model = FrameworkVersion

    def render_to_response(self, context, **response_kwargs) -> HttpResponse:
        version = self.object
        if self.request.GET.get("template"):
            return xlsx_response(
                _("评估手册考查要点导入模板.xlsx"),
                points_sheets(version, with_rows=False),
                fallback="handbook-points-template.xlsx",
            )
        return xlsx_response(
            _("%(name)s（第%(version)s版）考查要点.xlsx") % {"name": version.name, "version": version.version},
            points_sheets(version),
            fallback=f"handbook-v{version.version}-points.xlsx",
        )


# --- the three-year cycle --------------------------------------------------------------------------


class EvaluationCycleListView(ScopedQuerysetMixin, ListView):
    model = EvaluationCycle
    template_name = "inspections/cycle_list.html"

    def get_queryset(self):
        # Only the plan rows the user may see are counted: a director's figure is their own kindergarten.
        visible = CycleAssignment.objects.visible_to(self.request.user)
        return (
            super()
            .get_queryset()
            .select_related("framework_version")
            .annotate(assigned=Count("assignments", filter=Q(assignments__in=visible)))
        )


class EvaluationCycleCreateView(BureauRequiredMixin, CreateView):
    model = EvaluationCycle
    form_class = EvaluationCycleForm
    template_name = "inspections/cycle_form.html"

    def get_initial(self):
        year = timezone.localdate().year
        return {"start_year": year, "name": _("%(start)s—%(end)s 年评估周期") % {"start": year, "end": year + 2}}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            cycle = services.evaluation_cycle_create(
                name=data["name"],
                start_year=data["start_year"],
                framework_version=data["framework_version"],
                due_month=data["due_month"],
                due_day=data["due_day"],
                user=self.request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已创建评估周期，请为幼儿园安排评估年度。"))
        return redirect(cycle)


class EvaluationCycleUpdateView(BureauRequiredMixin, UpdateView):
    model = EvaluationCycle
    form_class = EvaluationCycleForm
    template_name = "inspections/cycle_form.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            cycle = services.evaluation_cycle_update(
                cycle=self.object,
                name=data["name"],
                framework_version=data["framework_version"],
                due_month=data["due_month"],
                due_day=data["due_day"],
                user=self.request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(cycle)


class EvaluationCycleDetailView(ScopedQuerysetMixin, DetailView):
    """The plan: coverage per sub-district (counted by the database) and every kindergarten's year."""

    model = EvaluationCycle
    template_name = "inspections/cycle_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cycle = self.object
        today = timezone.localdate()
        visible = CycleAssignment.objects.visible_to(self.request.user).filter(cycle=cycle)
        assignments = visible.select_related("kindergarten__subdistrict").with_progress(today)
        filterset = CycleAssignmentFilterSet(self.request.GET or None, queryset=assignments, request=self.request)
        is_bureau = services.is_bureau(self.request.user)
        table = CycleAssignmentTable(filterset.qs, can_edit=is_bureau)
        RequestConfig(self.request, paginate={"per_page": 25}).configure(table)
        context.update(
            today=today,
            coverage=list(visible.coverage_by_subdistrict(today)),
            totals=visible.coverage_totals(today),
            filter=filterset,
            table=table,
            is_bureau=is_bureau,
            history=history_entries(cycle),
        )
        return context


class CycleAssignView(BureauObjectMixin, View):
    model = EvaluationCycle

    def post(self, request, pk: int) -> HttpResponse:
        added = services.cycle_assign_kindergartens(cycle=self.object, user=request.user)
        if added:
            messages.success(request, _("已为 %(count)d 所幼儿园安排评估年度。") % {"count": added})
        else:
            messages.info(request, _("所有在办幼儿园和办园点都已在本周期的安排中。"))
        return redirect(self.object)


class CycleAssignmentUpdateView(BureauRequiredMixin, UpdateView):
    model = CycleAssignment
    form_class = CycleAssignmentForm
    template_name = "inspections/assignment_form.html"

    def get_queryset(self):
        return CycleAssignment.objects.select_related("cycle", "kindergarten")

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            assignment = services.cycle_assignment_update(
                assignment=self.object,
                user=self.request.user,
                planned_year=data["planned_year"],
                self_assessment_due=data["self_assessment_due"],
                note=data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已将“%(kindergarten)s”安排在 %(year)s 年评估。")
            % {"kindergarten": assignment.kindergarten, "year": assignment.planned_year},
        )
        return redirect(assignment.cycle)


# --- self-assessments ---------------------------------------------------------------------------


class SelfAssessmentListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = SelfAssessment.objects.select_related("kindergarten__subdistrict", "cycle")
    filterset_class = SelfAssessmentFilterSet
    table_class = SelfAssessmentTable
    template_name = "inspections/self_assessment_list.html"
    paginate_by = 25


def _latest(field: str) -> Subquery:
    return Subquery(
        SelfAssessment._base_manager.filter(kindergarten=OuterRef("kindergarten"), cycle=OuterRef("cycle"))
        .order_by("-version")
        .values(field)[:1]
    )


class SelfAssessmentOverdueView(LoginRequiredMixin, TemplateView):
    """For the bureau (and, for their area, sub-district officials): who has not submitted in time."""

    template_name = "inspections/self_assessment_overdue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        cycle = EvaluationCycle.objects.current(today)
        rows = CycleAssignment.objects.none()
        if cycle is not None:
            rows = (
                CycleAssignment.objects.visible_to(self.request.user)
                .filter(cycle=cycle)
                .self_assessment_overdue(today)
                .select_related("kindergarten__subdistrict")
                .annotate(latest_id=_latest("pk"), latest_status=_latest("status"), latest_version=_latest("version"))
                .order_by("self_assessment_due", "kindergarten__subdistrict__code", "kindergarten__code")
            )
        context.update(cycle=cycle, today=today, rows=rows, statuses=dict(AssessmentStatus.choices))
        return context


class MySelfAssessmentView(LoginRequiredMixin, TemplateView):
    """A director's starting point: this cycle's assignment and every version of their self-assessment."""

    template_name = "inspections/self_assessment_mine.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_director:
            return redirect("inspections:self_assessment_list")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cycle = EvaluationCycle.objects.current()
        assignment = None
        versions = SelfAssessment.objects.none()
        if cycle is not None:
            assignment = CycleAssignment.objects.visible_to(user).filter(cycle=cycle).first()
            versions = (
                SelfAssessment.objects.visible_to(user)
                .filter(cycle=cycle)
                .select_related("submitted_by", "reviewed_by")
                .order_by("-version")
            )
        latest = versions[0] if versions else None
        context.update(
            today=timezone.localdate(),
            cycle=cycle,
            assignment=assignment,
            versions=versions,
            latest=latest,
            can_start=cycle is not None and assignment is not None and latest is None,
            can_revise=latest is not None and latest.status == AssessmentStatus.RETURNED,
        )
        return context


class SelfAssessmentStartView(LoginRequiredMixin, View):
    def post(self, request) -> HttpResponse:
        cycle_id = request.POST.get("cycle", "")
        cycle = get_object_or_404(
            EvaluationCycle.objects.visible_to(request.user), pk=int(cycle_id) if cycle_id.isdecimal() else 0
        )
        if not request.user.is_director:
            raise PermissionDenied(_("只有园长可以填写本园的自评。"))
        try:
            assessment = services.self_assessment_start(
                kindergarten=request.user.kindergarten, cycle=cycle, user=request.user
            )
        except ValidationError as error:
            messages.error(request, "；".join(error_messages(error)))
            return redirect("inspections:self_assessment_mine")
        return redirect("inspections:self_assessment_edit", pk=assessment.pk)


def rating_sections(
    version: FrameworkVersion, ratings: models.QuerySet, attachments: models.QuerySet, form: PointRatingsForm | None
) -> list[dict]:
    """Areas → key indicators → points of a handbook version, each point with its rating, its
    attachments and (when filling in) its form fields. A fixed number of queries."""
    by_point = {r.point_id: r for r in ratings.select_related("level")}
    files: dict[int | None, list] = {}
    for attachment in attachments:
        files.setdefault(attachment.point_id, []).append(attachment)
    sections = []
    for area in version.structure():
        indicators = []
        for indicator in area.indicator_list:
            rows = []
            for point in indicator.point_list:
                row = {"point": point, "rating": by_point.get(point.pk), "attachments": files.get(point.pk, [])}
                if form is not None:
                    row.update(
                        level=form[level_field(point.pk)],
                        note=form[form.note_key(point.pk)],
                        files=form[files_field(point.pk)],
                    )
                rows.append(row)
            indicators.append({"indicator": indicator, "rows": rows})
        sections.append({"area": area, "indicators": indicators})
    return sections


def assessment_sections(assessment: SelfAssessment, form: SelfAssessmentForm | None = None) -> list[dict]:
    return rating_sections(
        assessment.framework_version,
        SelfAssessmentRating.objects.filter(assessment=assessment),
        SelfAssessmentAttachment.objects.filter(assessment=assessment),
        form,
    )


def general_attachments(assessment: SelfAssessment) -> list[SelfAssessmentAttachment]:
    return list(SelfAssessmentAttachment.objects.filter(assessment=assessment, point__isnull=True))


def _versions_of(assessment: SelfAssessment, user) -> list[SelfAssessment]:
    return list(
        SelfAssessment.objects.visible_to(user)
        .filter(kindergarten_id=assessment.kindergarten_id, cycle_id=assessment.cycle_id)
        .select_related("submitted_by", "reviewed_by")
        .order_by("-version")
    )


class SelfAssessmentDetailView(ScopedQuerysetMixin, DetailView):
    """One version, read-only, with the bureau's review form while it waits for review."""

    queryset = SelfAssessment.objects.select_related(
        "kindergarten__subdistrict", "cycle", "framework_version", "submitted_by", "reviewed_by"
    )
    template_name = "inspections/self_assessment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.object
        user = self.request.user
        may_fill = services.may_fill(user, assessment.kindergarten_id)
        sections = assessment_sections(assessment)
        rated = sum(
            1 for s in sections for i in s["indicators"] for r in i["rows"] if r["rating"] and r["rating"].level
        )
        total = sum(len(i["rows"]) for s in sections for i in s["indicators"])
        has_revision = SelfAssessment.objects.filter(revised_from=assessment).exists()
        context.update(
            sections=sections,
            general_attachments=general_attachments(assessment),
            rated=rated,
            total=total,
            can_fill=may_fill and assessment.is_draft,
            can_revise=may_fill and assessment.status == AssessmentStatus.RETURNED and not has_revision,
            can_review=services.is_bureau(user) and assessment.is_submitted,
            review_form=kwargs.get("review_form") or ReviewForm(),
            versions=_versions_of(assessment, user),
            history=history_entries(assessment),
        )
        return context


class SelfAssessmentEditView(LoginRequiredMixin, TemplateView):
    """The director's form: save the draft any time, submit when every point is rated."""

    template_name = "inspections/self_assessment_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.assessment = get_object_or_404(
            SelfAssessment.objects.restrict(request.user, "change").select_related(
                "kindergarten", "cycle", "framework_version"
            ),
            pk=kwargs["pk"],
        )
        if not services.may_fill(request.user, self.assessment.kindergarten_id):
            raise PermissionDenied(_("只有本园园长可以填写本园的自评。"))
        if not self.assessment.is_draft:
            if request.method == "POST":
                raise Locked(_("已提交的自评不能修改；退回后可在新版本中修改。"))
            messages.info(request, _("该版本已提交，不能再修改。"))
            return redirect(self.assessment)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, files=None) -> SelfAssessmentForm:
        return SelfAssessmentForm(
            data, files, assessment=self.assessment, points=self.assessment.framework_version.points()
        )

    def get_context_data(self, form: SelfAssessmentForm | None = None, missing=None, **kwargs):
        context = super().get_context_data(**kwargs)
        form = form or self.get_form()
        sections = assessment_sections(self.assessment, form)
        missing = services.missing_points(self.assessment) if missing is None else missing
        numbers = {r["point"].pk: r["point"].number for s in sections for i in s["indicators"] for r in i["rows"]}
        for point in missing:
            point.number = numbers.get(point.pk)
        total = len(numbers)
        context.update(
            assessment=self.assessment,
            form=form,
            sections=sections,
            general_attachments=general_attachments(self.assessment),
            missing=missing,
            total=total,
            rated=total - len(missing),
        )
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        form = self.get_form(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请更正下列标红的内容，本次填写尚未保存。"))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            with transaction.atomic():
                services.self_assessment_save(
                    assessment=self.assessment,
                    user=request.user,
                    ratings=form.rating_inputs(),
                    summary=form.cleaned_data["summary"],
                )
                for point, file in form.uploads():
                    services.self_assessment_attachment_add(
                        assessment=self.assessment, user=request.user, file=file, point=point
                    )
        except ValidationError as error:
            form.add_service_errors(error)
            messages.error(request, _("请更正下列标红的内容，本次填写尚未保存。"))
            return self.render_to_response(self.get_context_data(form=form), status=400)

        if request.POST.get("action") != "submit":
            messages.success(request, _("草稿已保存，可以随时回来继续填写。"))
            return redirect("inspections:self_assessment_edit", pk=self.assessment.pk)
        try:
            services.self_assessment_submit(assessment=self.assessment, user=request.user)
        except services.IncompleteAssessment as incomplete:
            for point in incomplete.missing:
                form.add_point_error(point.pk, _("请为该考查要点评分。"))
            messages.warning(
                request,
                _("草稿已保存，但还有 %(count)d 个考查要点未评分，不能提交。请补全标红的要点后再提交。")
                % {"count": len(incomplete.missing)},
            )
            return self.render_to_response(
                self.get_context_data(form=form, missing=incomplete.missing, submit_failed=True)
            )
        messages.success(request, _("自评已提交，等待区教委审核。提交后不能再修改。"))
        return redirect(self.assessment)


class SelfAssessmentReviewView(BureauRequiredMixin, View):
    def post(self, request, pk: int) -> HttpResponse:
        assessment = get_object_or_404(SelfAssessment.objects.restrict(request.user, "change"), pk=pk)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == ReviewForm.ACCEPT:
                    services.self_assessment_accept(
                        assessment=assessment, user=request.user, comment=form.cleaned_data["comment"]
                    )
                    messages.success(request, _("自评已审核通过。"))
                else:
                    services.self_assessment_return(
                        assessment=assessment, user=request.user, comment=form.cleaned_data["comment"]
                    )
                    messages.success(request, _("自评已退回园所修改。"))
                return redirect(assessment)
            except ValidationError as error:
                add_errors(form, error)
        view = SelfAssessmentDetailView()
        view.setup(request, pk=pk)
        view.object = view.get_object()
        return view.render_to_response(view.get_context_data(review_form=form), status=400)


class SelfAssessmentReviseView(LoginRequiredMixin, View):
    def post(self, request, pk: int) -> HttpResponse:
        assessment = get_object_or_404(SelfAssessment.objects.restrict(request.user, "change"), pk=pk)
        try:
            revision = services.self_assessment_revise(assessment=assessment, user=request.user)
        except ValidationError as error:
            messages.error(request, "；".join(error_messages(error)))
            return redirect(assessment)
        messages.success(
            request,
            _("已创建第 %(version)s 版，原有评分和材料已带入，请按审核意见修改后重新提交。")
            % {"version": revision.version},
        )
        return redirect("inspections:self_assessment_edit", pk=revision.pk)


class SelfAssessmentVersionsView(ScopedQuerysetMixin, DetailView):
    """Every version of a kindergarten's self-assessment in a cycle, and each point's rating in each."""

    queryset = SelfAssessment.objects.select_related("kindergarten", "cycle", "framework_version")
    template_name = "inspections/self_assessment_versions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(reversed(_versions_of(self.object, self.request.user)))
        ratings = {
            (r.assessment_id, r.point_id): r
            for r in SelfAssessmentRating.objects.filter(assessment__in=versions).select_related("level")
        }
        rows = []
        for area in self.object.framework_version.structure():
            for indicator in area.indicator_list:
                for point in indicator.point_list:
                    cells = [ratings.get((v.pk, point.pk)) for v in versions]
                    levels = {c.level_id if c else None for c in cells}
                    notes = {c.evidence_note if c else "" for c in cells}
                    rows.append(
                        {
                            "point": point,
                            "indicator": indicator,
                            "cells": cells,
                            "changed": len(levels) > 1 or len(notes) > 1,
                        }
                    )
        context.update(versions=versions, rows=rows)
        return context


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Serves an attachment to those who may see the record it belongs to (`model.objects.restrict`);
    to anyone else it does not exist."""

    model: type[AttachmentBase]

    def get(self, request, pk: int) -> HttpResponse:
        attachment = get_object_or_404(self.model.objects.restrict(request.user, "view"), pk=pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404(_("文件不存在。")) from missing
        # Photos and PDFs open in the browser; Office documents download.
        inline = attachment.content_type.startswith("image/") or attachment.content_type == "application/pdf"
        response = FileResponse(
            handle,
            as_attachment=not inline,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response


class SelfAssessmentAttachmentView(AttachmentDownloadView):
    model = SelfAssessmentAttachment


class SelfAssessmentAttachmentDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk: int) -> HttpResponse:
        attachment = get_object_or_404(
            SelfAssessmentAttachment.objects.restrict(request.user, "change").select_related("assessment"), pk=pk
        )
        services.self_assessment_attachment_delete(attachment=attachment, user=request.user)
        messages.success(request, _("已删除附件“%(name)s”。") % {"name": attachment.original_name})
        return redirect("inspections:self_assessment_edit", pk=attachment.assessment_id)
