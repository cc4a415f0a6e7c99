"""A kindergarten's yearly enrolment report: the form (draft, submit), the bureau's decisions
(return, accept a correction), and the shortcuts to the current year's report."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django.views.generic.detail import SingleObjectMixin

from accounts.history import history_entries
from accounts.mixins import BureauRequiredMixin, ScopedQuerysetMixin
from accounts.permissions import Act, may
from kindergartens.models import Kindergarten

from .. import services
from ..choices import ClassType
from ..forms import ChildrenByAgeForm, SchoolClassFormSet, age_field_name, class_initial
from ..models import ClassSizeLimit, EnrollmentSubmission, SchoolClass, SchoolYear, grade_order
from ..selectors import compare_reports, report_totals


class EnrollmentReportView(ScopedQuerysetMixin, DetailView):
    """A kindergarten's classes and children by age for one school year: edit, save a draft, submit.

    Anyone who may see the kindergarten sees the report; only those who may change it, while
    the year is open (and, for a director, while the report is a draft), get the form. The form
    starts from the director's working copy, else from the official figures; a pending
    correction is shown beside the official figures for the bureau to accept or return.
    """

    template_name = "enrollment/report_form.html"
    queryset = Kindergarten.objects.select_related("subdistrict")
    pk_url_kwarg = "kindergarten_pk"
    context_object_name = "kindergarten"

    def _load(self) -> None:
        user = self.request.user
        self.object = self.kindergarten = self.get_object()
        self.school_year = get_object_or_404(SchoolYear, start_year=self.kwargs["start_year"])
        self.submission = (
            EnrollmentSubmission.objects.filter(kindergarten=self.kindergarten, school_year=self.school_year)
            .select_related("submitted_by")
            .first()
        )
        self.lock_reason = services.lock_reason(
            user=user, kindergarten=self.kindergarten, school_year=self.school_year, submission=self.submission
        )
        self.pending_correction = self.submission is not None and self.submission.is_correction
        self.editable = self.lock_reason is None
        self.limits = ClassSizeLimit.objects.limits_on(self.school_year.starts_on)
        self.official = services.official_report(
            kindergarten=self.kindergarten, school_year=self.school_year, submission=self.submission
        )
        self.working = services.working_report(self.submission)

    def _classes(self) -> QuerySet[SchoolClass]:
        return SchoolClass.objects.filter(kindergarten=self.kindergarten, school_year=self.school_year).order_by(
            grade_order(), "pk"
        )

    def _forms(self, data=None) -> tuple:
        # Bureau staff edit the official figures; a director edits their working copy, if any.
        start = self.official if may(self.request.user, Act.MANAGE) else (self.working or self.official)
        by_age = start.children_by_age if start else {}
        initial = {age_field_name(age): by_age.get(age, 0) for age in services.AGES}
        initial["total"] = sum(by_age.values())
        initial["international_seats_used"] = start.international_seats_used if start else 0
        # Posted rows stand on their own: with `initial` too, an unchanged extra row would be dropped.
        formset = SchoolClassFormSet(data, initial=None if data else class_initial(start), prefix="classes")
        return formset, ChildrenByAgeForm(data, initial=initial, prefix="ages")

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self._load()
        formset, age_form = self._forms()
        return self.render_to_response(self.get_context_data(formset=formset, age_form=age_form))

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self._load()
        if not self.editable:
            raise PermissionDenied(self.lock_reason)
        formset, age_form = self._forms(request.POST)
        submit = "submit" in request.POST
        report_errors: list[str] = []
        if formset.is_valid() and age_form.is_valid():
            children_by_age = age_form.children_by_age()
            age_form.fields["total"].initial = sum(children_by_age.values())
            report = services.Report.of(
                formset.rows(), children_by_age, age_form.cleaned_data["international_seats_used"]
            )
            try:
                submission = services.enrollment_report_save(
                    kindergarten=self.kindergarten,
                    school_year=self.school_year,
                    report=report,
                    submit=submit,
                    user=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    if field == "children_by_age":
                        age_form.add_error("total", errors)
                    elif field == "international_seats_used":
                        age_form.add_error("international_seats_used", errors)
                    else:
                        report_errors.extend(errors)
            else:
                self._say_saved(submission, report)
                return redirect(request.path)
        return self.render_to_response(
            self.get_context_data(formset=formset, age_form=age_form, report_errors=report_errors)
        )

    def _say_saved(self, submission: EnrollmentSubmission, report: services.Report) -> None:
        request, submitted = self.request, "submit" in self.request.POST
        if submission.is_correction:
            messages.success(request, _("已报送更正，等待区教委审核；审核通过前，统计仍使用原正式数据。"))
        elif may(request.user, Act.MANAGE):
            messages.success(request, _("已代为报送，正式数据已保存。") if submitted else _("已保存正式数据。"))
        elif submitted:
            messages.success(request, _("已报送%(year)s在园情况。") % {"year": self.school_year})
        else:
            messages.success(request, _("已保存草稿；正式数据未改动。"))
            mismatch = services.age_total_mismatch(report.classes, report.children_by_age)
            if mismatch:
                messages.warning(request, _("%(problem)s报送前请核对。") % {"problem": mismatch})

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        classes = list(self._classes())
        for school_class in classes:
            school_class.limit = self.limits.get(school_class.class_type)
            school_class.over_limit = school_class.is_over(self.limits)
        for form in context["formset"].forms:
            class_type = form["class_type"].value()
            enrolled = form["enrolled"].value()
            form.limit = self.limits.get(class_type)
            try:
                form.over_limit = form.limit is not None and int(enrolled) > form.limit
            except (TypeError, ValueError):
                form.over_limit = False
        official_ages = self.official.children_by_age if self.official else {}
        context.update(
            kindergarten=self.kindergarten,
            school_year=self.school_year,
            submission=self.submission,
            lock_reason=self.lock_reason,
            editable=self.editable,
            has_official=self.official is not None,
            has_working_copy=self.working is not None,
            pending_correction=self.pending_correction,
            comparison=compare_reports(self.official, self.working)
            if self.pending_correction and self.working
            else None,
            edits_official=may(self.request.user, Act.MANAGE),
            classes=classes,
            limits=self.limits,
            limit_rows=[(ClassType(t).label, n) for t, n in self.limits.items()],
            totals=report_totals(classes, self.kindergarten.approved_capacity),
            age_counts=[(age, official_ages.get(age)) for age in services.AGES],
            age_total=sum(official_ages.values()),
            years=SchoolYear.objects.only("start_year"),
            history=history_entries(self.submission) if self.submission else [],
        )
        return context


class CurrentReportView(ScopedQuerysetMixin, SingleObjectMixin, View):
    """A kindergarten's report for the current school year (linked from the kindergarten's page)."""

    model = Kindergarten
    pk_url_kwarg = "kindergarten_pk"

    def get(self, request: HttpRequest, kindergarten_pk: int) -> HttpResponse:
        kindergarten = self.get_object()
        school_year = SchoolYear.objects.current()
        if school_year is None:
            raise Http404
        return redirect("enrollment:report", kindergarten_pk=kindergarten.pk, start_year=school_year.start_year)


class MyReportView(LoginRequiredMixin, View):
    """The nav's "在园报送": a director's own report for the current year; the tracker for others."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        school_year = SchoolYear.objects.current()
        if may(user, Act.FILL) and school_year is not None:
            return redirect(
                "enrollment:report", kindergarten_pk=user.kindergarten_id, start_year=school_year.start_year
            )
        return redirect("enrollment:tracker")


class SubmissionDecisionView(BureauRequiredMixin, View, metaclass=ABCMeta):
    """A bureau decision on a kindergarten's report: return it (退回修改) or accept its correction."""

    @abstractmethod
    def decide(self, submission: EnrollmentSubmission) -> str:
        """Calls the service; returns the message shown afterwards."""

    def post(self, request: HttpRequest, kindergarten_pk: int, start_year: int) -> HttpResponse:
        submission = get_object_or_404(
            EnrollmentSubmission.objects.restrict(request.user, "change").select_related("kindergarten", "school_year"),
            kindergarten_id=kindergarten_pk,
            school_year__start_year=start_year,
        )
        try:
            messages.success(request, self.decide(submission))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("enrollment:report", args=[kindergarten_pk, start_year]))


class SubmissionReturnView(SubmissionDecisionView):
    def decide(self, submission: EnrollmentSubmission) -> str:
        services.submission_return(submission=submission, user=self.request.user)
        return _("已将“%(name)s”的报送退回修改。") % {"name": submission.kindergarten.name}


class CorrectionAcceptView(SubmissionDecisionView):
    def decide(self, submission: EnrollmentSubmission) -> str:
        services.correction_accept(submission=submission, user=self.request.user)
        return _("已采纳“%(name)s”的更正，正式数据已更新。") % {"name": submission.kindergarten.name}
