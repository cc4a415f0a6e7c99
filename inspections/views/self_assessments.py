"""Pages of self-assessments: the list, the overdue list, a director's own, one version, filling
it in, the bureau's review, revision, versions side by side, evidence files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.history import history_entries
from accounts.mixins import BureauRequiredMixin, ScopedQuerysetMixin
from accounts.permissions import Act, may

from .. import services
from ..choices import AssessmentStatus
from ..filtersets import SelfAssessmentFilterSet
from ..forms import ReviewForm, SelfAssessmentForm
from ..models import CycleAssignment, EvaluationCycle, SelfAssessment, SelfAssessmentAttachment, SelfAssessmentRating
from ..selectors import version_rows, versions_of
from ..tables import SelfAssessmentTable
from .common import AttachmentDownloadView, ObjectActionView, RatingsEditView, error_messages, rating_sections


class SelfAssessmentListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    queryset = SelfAssessment.objects.select_related("kindergarten__subdistrict", "cycle")
    filterset_class = SelfAssessmentFilterSet
    table_class = SelfAssessmentTable
    template_name = "inspections/self_assessment_list.html"
    paginate_by = 25


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
                .with_latest_self_assessment()
                .order_by("self_assessment_due", "kindergarten__subdistrict__code", "kindergarten__code")
            )
        context.update(cycle=cycle, today=today, rows=rows, statuses=dict(AssessmentStatus.choices))
        return context


class MySelfAssessmentView(LoginRequiredMixin, TemplateView):
    """A director's starting point: this cycle's assignment and every version of their self-assessment."""

    template_name = "inspections/self_assessment_mine.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may(request.user, Act.FILL):
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
        if not may(request.user, Act.FILL):  # a director, of their own kindergarten
            raise PermissionDenied(_("只有园长可以填写本园的自评。"))
        try:
            assessment = services.self_assessment_start(
                kindergarten=request.user.kindergarten, cycle=cycle, user=request.user
            )
        except ValidationError as error:
            messages.error(request, "；".join(error_messages(error)))
            return redirect("inspections:self_assessment_mine")
        return redirect("inspections:self_assessment_edit", pk=assessment.pk)


def assessment_sections(assessment: SelfAssessment, form: SelfAssessmentForm | None = None) -> list[dict]:
    return rating_sections(
        assessment.framework_version,
        SelfAssessmentRating.objects.filter(assessment=assessment),
        SelfAssessmentAttachment.objects.filter(assessment=assessment),
        form,
    )


def general_attachments(assessment: SelfAssessment) -> list[SelfAssessmentAttachment]:
    return list(SelfAssessmentAttachment.objects.filter(assessment=assessment, point__isnull=True))


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
        fills = may(user, Act.FILL, assessment.kindergarten_id)
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
            can_fill=fills and assessment.is_draft,
            can_revise=fills and assessment.status == AssessmentStatus.RETURNED and not has_revision,
            can_review=may(user, Act.REVIEW) and assessment.is_submitted,
            review_form=kwargs.get("review_form") or ReviewForm(),
            versions=versions_of(assessment, user),
            history=history_entries(assessment),
        )
        return context


class SelfAssessmentEditView(RatingsEditView):
    """The director's form: save the draft any time, submit when every point is rated."""

    model = SelfAssessment
    template_name = "inspections/self_assessment_form.html"
    record_name = "assessment"
    edit_url_name = "inspections:self_assessment_edit"
    attachment_delete_url = "inspections:self_assessment_attachment_delete"
    refusal = _lazy("只有本园园长可以填写本园的自评。")
    locked_message = _lazy("已提交的自评不能修改；退回后可在新版本中修改。")
    already_submitted = _lazy("该版本已提交，不能再修改。")
    saved_message = _lazy("草稿已保存，可以随时回来继续填写。")
    submitted_message = _lazy("自评已提交，等待区教委审核。提交后不能再修改。")
    incomplete = services.IncompleteAssessment

    def permits(self, user, record: SelfAssessment) -> bool:
        return may(user, Act.FILL, record.kindergarten_id)

    def get_form(self, data=None, files=None) -> SelfAssessmentForm:
        return SelfAssessmentForm(data, files, assessment=self.record, points=self.record.framework_version.points())

    def missing_points(self) -> list:
        return services.missing_points(self.record)

    def sections(self, form: SelfAssessmentForm) -> list[dict]:
        return assessment_sections(self.record, form)

    def general_attachments(self) -> list[SelfAssessmentAttachment]:
        return general_attachments(self.record)

    def save(self, form: SelfAssessmentForm) -> None:
        services.self_assessment_save(
            assessment=self.record,
            user=self.request.user,
            ratings=form.rating_inputs(),
            summary=form.cleaned_data["summary"],
            uploads=form.uploads(),
        )

    def submit(self) -> None:
        services.self_assessment_submit(assessment=self.record, user=self.request.user)

    def incomplete_message(self, incomplete: services.IncompleteAssessment) -> str:
        return _("草稿已保存，但还有 %(count)d 个考查要点未评分，不能提交。请补全标红的要点后再提交。") % {
            "count": len(incomplete.missing)
        }


class SelfAssessmentReviewView(BureauRequiredMixin, ObjectActionView):
    model = SelfAssessment
    form_class = ReviewForm
    form_name = "review_form"
    detail_view = SelfAssessmentDetailView

    def perform(self, data: dict) -> str:
        if data["decision"] == ReviewForm.ACCEPT:
            services.self_assessment_accept(assessment=self.object, user=self.request.user, comment=data["comment"])
            return _("自评已审核通过。")
        services.self_assessment_return(assessment=self.object, user=self.request.user, comment=data["comment"])
        return _("自评已退回园所修改。")


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
        versions = list(reversed(versions_of(self.object, self.request.user)))
        rows = version_rows(self.object.framework_version, versions)
        context.update(versions=versions, rows=rows)
        return context


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
