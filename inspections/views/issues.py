"""Issue-list pages (问题清单 / 改进成效): the list with its filters, the overdue escalation,
one issue with its improvement steps, correcting it, drawing up a list from an evaluation,
adding one by hand, the evidence files and a kindergarten's trajectory.

Views stay thin: they find the object within the user's scope (others get 404), hand the
input to `services.issues` and show its verdict under the field it names. Who may report,
verify, send back or correct is decided by the service (others get 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from accounts.history import history_entries
from accounts.mixins import ScopedQuerysetMixin
from accounts.permissions import Act, may
from kindergartens.models import Kindergarten

from ..choices import IssueSource, IssueStatus
from ..filtersets import QualityIssueFilterSet
from ..forms.common import add_service_errors
from ..forms.issues import IssueEditForm, IssueForm, IssuesFromSourceForm, ReportForm, VerifyForm
from ..models import ExternalEvaluation, IssueAttachment, IssueEvent, QualityIssue, SelfAssessment
from ..services import issues as services
from ..tables import QualityIssueTable
from ..trajectory import trajectory
from .common import AttachmentDownloadView, ObjectActionView

ISSUE_LIST_QUERYSET = QualityIssue.objects.select_related(
    "kindergarten__subdistrict", "cycle", "point__key_indicator__area"
)


def source_url(issue_or_source) -> str | None:
    """The page of the evaluation an issue was drawn from (None if there is none to link to)."""
    if isinstance(issue_or_source, QualityIssue):
        source = issue_or_source.self_assessment or issue_or_source.external_evaluation
    else:
        source = issue_or_source
    if isinstance(source, SelfAssessment):
        return source.get_absolute_url()
    if isinstance(source, ExternalEvaluation):
        try:  # the external evaluation's page belongs to the evaluations part
            return reverse("inspections:external_evaluation_detail", args=[source.pk])
        except NoReverseMatch:
            return source.kindergarten.get_absolute_url()
    return None


class EvaluatorRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Pages that draw up issues: bureau staff and inspectors. Others get 403."""

    def test_func(self) -> bool:
        return may(self.request.user, Act.EVALUATE)


class NotDirectorMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Escalation pages: the bureau, sub-district officials and inspectors, each in their scope."""

    def test_func(self) -> bool:
        return not may(self.request.user, Act.FILL)


# --- the list and the escalation ----------------------------------------------------------------


class QualityIssueListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    """Issues in the user's scope (a director: their own kindergarten's), with the figures."""

    queryset = ISSUE_LIST_QUERYSET
    filterset_class = QualityIssueFilterSet
    table_class = QualityIssueTable
    template_name = "inspections/issue_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The figures over everything the user may see (not only this page).
        totals = QualityIssue.objects.visible_to(self.request.user).status_totals()
        context.update(totals=totals, can_create=may(self.request.user, Act.EVALUATE))
        return context


class QualityIssueOverdueView(NotDirectorMixin, TemplateView):
    """Overdue issues escalate: counted per sub-district (GROUP BY) and listed, oldest first."""

    template_name = "inspections/issue_overdue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        overdue = QualityIssue.objects.visible_to(self.request.user).overdue(today)
        per_subdistrict = overdue.per_subdistrict(today)
        table = QualityIssueTable(
            overdue.select_related("kindergarten__subdistrict", "cycle", "point__key_indicator__area").order_by(
                "deadline", "kindergarten__code", "pk"
            ),
            orderable=False,
        )
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        context.update(
            today=today,
            per_subdistrict=per_subdistrict,
            total=sum(row["issues"] for row in per_subdistrict),
            table=table,
        )
        return context


# --- one issue ----------------------------------------------------------------------------------


class QualityIssueDetailView(ScopedQuerysetMixin, DetailView):
    queryset = QualityIssue.objects.select_related(
        "kindergarten__subdistrict",
        "cycle",
        "point__key_indicator__area",
        "self_assessment",
        "external_evaluation__kindergarten",
        "created_by",
        "verified_by",
    )
    template_name = "inspections/issue_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = self.object
        user = self.request.user
        events = (
            IssueEvent.objects.filter(issue=issue)
            .select_related("created_by")
            .prefetch_related(Prefetch("attachments", queryset=IssueAttachment.objects.order_by("uploaded_at", "pk")))
        )
        correctable = issue.is_correctable_by(user)  # the evaluator of an issue not yet verified
        context.update(
            events=events,
            source_url=source_url(issue),
            can_report=issue.is_reportable_by(user),
            can_verify=issue.status == IssueStatus.REPORTED and correctable,
            can_edit=correctable,
            report_form=kwargs.get("report_form") or ReportForm(),
            verify_form=kwargs.get("verify_form") or VerifyForm(),
            history=history_entries(issue),
        )
        return context


class QualityIssueEditView(LoginRequiredMixin, FormView):
    """Corrects the description or moves the deadline. 404 outside the user's view scope, 403
    for those who see the issue but do not evaluate it (directors, sub-district officials)."""

    form_class = IssueEditForm
    template_name = "inspections/issue_edit.html"

    @cached_property
    def issue(self) -> QualityIssue:
        return get_object_or_404(
            QualityIssue.objects.visible_to(self.request.user).select_related(
                "kindergarten", "point__key_indicator__area"
            ),
            pk=self.kwargs["pk"],
        )

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not may(request.user, Act.EVALUATE, self.issue.kindergarten_id):
            raise PermissionDenied(_("只有区教委工作人员和负责该园的督学可以执行此操作。"))
        if self.issue.status == IssueStatus.VERIFIED:
            messages.error(request, _("问题已验证通过，不能再修改。"))
            return redirect(self.issue)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"description": self.issue.description, "deadline": self.issue.deadline}

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.issue, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            event = services.issue_update(
                issue=self.issue,
                user=self.request.user,
                description=data["description"],
                deadline=data["deadline"],
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if event is None:
            messages.info(self.request, _("内容没有变化，未作修改。"))
        else:
            messages.success(self.request, _("已保存修改。"))
        return redirect(self.issue)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class IssueActionView(ObjectActionView):
    """A POST on one issue in the user's change scope; refused input re-renders the detail page."""

    model = QualityIssue
    detail_view = QualityIssueDetailView

    def refusal_response(self, error: ValidationError) -> HttpResponse | None:
        # The issue moved on meanwhile (verified, reported): nothing to correct on the form.
        if getattr(error, "code", None) == "transition":
            messages.error(self.request, "；".join(error.messages))
            return redirect(self.object)
        return None


class IssueReportView(IssueActionView):
    accepts_uploads = True  # the upload body limit (common.limits)
    form_class = ReportForm
    form_name = "report_form"

    def perform(self, data: dict) -> str:
        services.issue_report(issue=self.object, user=self.request.user, note=data["note"], files=data["files"])
        return _("已报告整改成效，等待验证。")


class IssueVerifyView(IssueActionView):
    accepts_uploads = True  # the upload body limit (common.limits)
    form_class = VerifyForm
    form_name = "verify_form"

    def perform(self, data: dict) -> str:
        if data["decision"] == VerifyForm.VERIFY:
            services.issue_verify(issue=self.object, user=self.request.user, note=data["note"])
            return _("整改成效已验证。")
        services.issue_send_back(issue=self.object, user=self.request.user, note=data["note"])
        return _("已退回园所重新整改。")


class IssueAttachmentView(AttachmentDownloadView):
    model = IssueAttachment


# --- drawing up issues ------------------------------------------------------------------------------


class QualityIssueCreateView(EvaluatorRequiredMixin, FormView):
    """One issue added by hand."""

    form_class = IssueForm
    template_name = "inspections/issue_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = {}
        for name in ("kindergarten", "cycle"):
            value = self.request.GET.get(name, "")
            if value.isdigit():
                initial[name] = value
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            issue = services.issue_create(
                kindergarten=data["kindergarten"],
                cycle=data["cycle"],
                point=data["point"],
                source=data["source"],
                description=data["description"],
                deadline=data["deadline"],
                user=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已列入问题清单。"))
        return redirect(issue)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class IssuesFromSourceView(LoginRequiredMixin, TemplateView):
    """The points of one evaluation, those with findings or a low rating ticked; the ticked
    ones become issues in one go."""

    template_name = "inspections/issue_from_source.html"
    model = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.source = get_object_or_404(
            self.model.objects.restrict(request.user, "view").select_related(
                "kindergarten__subdistrict", "cycle", "framework_version"
            ),
            pk=kwargs["pk"],
        )
        if not may(request.user, Act.EVALUATE, self.source.kindergarten_id):
            return self.handle_no_permission()
        if not services.source_is_ready(self.source):
            messages.error(request, _("问题清单只能从已提交或已通过的自评、已审定公布的督导评估生成。"))
            return redirect(source_url(self.source) or "inspections:issue_list")
        self.rows = services.source_points(self.source)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form: IssuesFromSourceForm | None = None, **kwargs):
        context = super().get_context_data(**kwargs)
        form = form or IssuesFromSourceForm(rows=self.rows)
        context.update(
            source=self.source,
            source_kind=IssueSource(services.source_kind(self.source)).label,
            source_url=source_url(self.source),
            form=form,
            rows=form.bound_rows(),
            existing=sum(1 for row in self.rows if row.existing is not None),
        )
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        form = IssuesFromSourceForm(request.POST, rows=self.rows)
        if form.is_valid():
            try:
                created = services.issues_create_from_source(
                    source=self.source, user=request.user, issues=form.issue_inputs()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已将 %(count)d 个问题列入问题清单。") % {"count": len(created)})
                query = f"?kindergarten={self.source.kindergarten_id}&cycle={self.source.cycle_id}"
                return redirect(reverse("inspections:issue_list") + query)
        messages.error(request, _("请更正下列标红的内容，问题清单尚未保存。"))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class IssuesFromSelfAssessmentView(IssuesFromSourceView):
    model = SelfAssessment


class IssuesFromExternalEvaluationView(IssuesFromSourceView):
    model = ExternalEvaluation


# --- the trajectory ---------------------------------------------------------------------------------


class TrajectoryView(LoginRequiredMixin, DetailView):
    """A kindergarten's issues and their outcomes across cycles, and its ratings per area."""

    template_name = "inspections/trajectory.html"
    context_object_name = "kindergarten"

    def get_queryset(self):
        return Kindergarten.objects.visible_to(self.request.user).select_related("subdistrict")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        found = trajectory(self.object, self.request.user)
        labels = {str(value): str(label) for value, label in IssueSource.choices}
        context.update(
            trajectory=found,
            rating_rows=found.rows(),
            chart_data={
                **found.chart_data(labels),
                "labels": {"average": _("平均评分"), "title": _("各评估方面平均评分")},
            },
            labels=labels,
        )
        return context
