"""Enrolment pages: a kindergarten's yearly report, the bureau's submission tracker, school years,
the resident child population, and the statistics workbook (template, upload, export)."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, FilteredRelation, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, FormView, ListView, TemplateView, UpdateView
from django_filters.views import FilterView

from accounts.history import history_entries
from accounts.mixins import BureauRequiredMixin
from common.spreadsheets import ImportRejected, SpreadsheetError, SpreadsheetUploadForm, xlsx_response
from kindergartens.models import Kindergarten, Subdistrict

from . import services, spreadsheets
from .choices import ClassType, PopulationBasis, SubmissionStatus
from .filtersets import SubmissionTrackerFilterSet, TrackerStatus
from .forms import (
    ChildrenByAgeForm,
    PopulationForm,
    SchoolClassFormSet,
    SchoolYearForm,
    age_field_name,
    class_initial,
)
from .models import (
    ChildPopulation,
    ClassSizeLimit,
    EnrollmentByAge,
    EnrollmentSubmission,
    SchoolClass,
    SchoolYear,
    grade_order,
)


def _percent(numerator: int, denominator: int) -> float | None:
    return numerator / denominator * 100 if denominator else None


# --- the report form ---------------------------------------------------------------------------


class EnrollmentReportView(LoginRequiredMixin, TemplateView):
    """A kindergarten's classes and children by age for one school year: edit, save a draft, submit.

    Anyone who may see the kindergarten sees the report; only those who may change it, while
    the year is open (and, for a director, while the report is a draft), get the form. The form
    starts from the director's working copy, else from the official figures; a pending
    correction is shown beside the official figures for the bureau to accept or return.
    """

    template_name = "enrollment/report_form.html"

    def _load(self) -> None:
        user = self.request.user
        self.kindergarten = get_object_or_404(
            Kindergarten.objects.visible_to(user).select_related("subdistrict"), pk=self.kwargs["kindergarten_pk"]
        )
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
        self.editable = self.lock_reason is None and not self.pending_correction
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
        start = self.working or self.official
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
            raise PermissionDenied(self.lock_reason or _("请先处理待审核的更正。"))
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
        request = self.request
        if submission.is_correction:
            messages.success(request, _("已报送更正，等待区教委审核；审核通过前，统计仍使用原正式数据。"))
        elif submission.is_submitted and "submit" in request.POST:
            messages.success(request, _("已报送%(year)s在园情况。") % {"year": self.school_year})
        elif submission.is_submitted:
            messages.success(request, _("已保存。"))
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
        enrolled = sum(c.enrolled for c in classes if c.class_type != ClassType.TODDLER)
        toddlers = sum(c.enrolled for c in classes if c.class_type == ClassType.TODDLER)
        capacity = self.kindergarten.approved_capacity
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
            comparison=compare_reports(self.official, self.working) if self.pending_correction else None,
            classes=classes,
            limits=self.limits,
            limit_rows=[(ClassType(t).label, n) for t, n in self.limits.items()],
            totals={
                "classes": len(classes),
                "enrolled": enrolled,
                "toddlers": toddlers,
                "approved_size": sum(c.approved_size for c in classes),
                "over_limit": sum(1 for c in classes if c.over_limit),
                "capacity": capacity,
                # As the indicator engine counts it: toddler classes occupy seats too.
                "utilisation": _percent(enrolled + toddlers, capacity),
            },
            age_counts=[(age, official_ages.get(age)) for age in services.AGES],
            age_total=sum(official_ages.values()),
            years=SchoolYear.objects.only("start_year"),
            history=history_entries(self.submission) if self.submission else [],
        )
        return context


def _class_cells(row: services.ClassRow | None) -> tuple | None:
    return (ClassType(row.class_type).label, row.approved_size, row.enrolled) if row else None


def compare_reports(official: services.Report | None, proposed: services.Report) -> dict:
    """Official figures and a correction side by side: classes by name, then ages and seats."""
    old = {c.name: c for c in (official.classes if official else ())}
    new = {c.name: c for c in proposed.classes}
    class_rows = []
    for name in [*old, *(n for n in new if n not in old)]:
        before, after = old.get(name), new.get(name)
        class_rows.append(
            {
                "name": name,
                "old": _class_cells(before),
                "new": _class_cells(after),
                "changed": before is None or after is None or before != after,
            }
        )
    old_ages = official.children_by_age if official else {}
    age_rows = [
        {"age": age, "old": old_ages.get(age), "new": proposed.children_by_age.get(age, 0)} for age in services.AGES
    ]
    for row in age_rows:
        row["changed"] = row["old"] != row["new"]
    old_total = sum(c.enrolled for c in old.values()) if official else None
    return {
        "classes": class_rows,
        "ages": age_rows,
        "seats": (official.international_seats_used if official else None, proposed.international_seats_used),
        "totals": (old_total, sum(c.enrolled for c in proposed.classes)),
    }


class CurrentReportView(LoginRequiredMixin, View):
    """A kindergarten's report for the current school year (linked from the kindergarten's page)."""

    def get(self, request: HttpRequest, kindergarten_pk: int) -> HttpResponse:
        kindergarten = get_object_or_404(Kindergarten.objects.visible_to(request.user), pk=kindergarten_pk)
        school_year = SchoolYear.objects.current()
        if school_year is None:
            raise Http404
        return redirect("enrollment:report", kindergarten_pk=kindergarten.pk, start_year=school_year.start_year)


class MyReportView(LoginRequiredMixin, View):
    """The nav's "在园报送": a director's own report for the current year; the tracker for others."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        school_year = SchoolYear.objects.current()
        if user.is_director and user.kindergarten_id and school_year is not None:
            return redirect(
                "enrollment:report", kindergarten_pk=user.kindergarten_id, start_year=school_year.start_year
            )
        return redirect("enrollment:tracker")


# --- the submission tracker ----------------------------------------------------------------------


REPORTED = (SubmissionStatus.SUBMITTED, SubmissionStatus.CORRECTION)


def expected_to_report(user) -> QuerySet[Kindergarten]:
    """Kindergartens that owe a report: operating (licensed or a community point) with approved
    places. One without places (an estate kindergarten not open yet) has no children to report."""
    return Kindergarten.objects.visible_to(user).operating().filter(approved_capacity__gt=0)


def tracker_queryset(user, school_year: SchoolYear) -> QuerySet[Kindergarten]:
    """Operating kindergartens the user may see, each with its report's status and totals for the year."""
    class_totals = (
        SchoolClass.objects.filter(kindergarten=OuterRef("pk"), school_year=school_year)
        .values("kindergarten")
        .annotate(total=Sum("enrolled"))
        .values("total")
    )
    return (
        expected_to_report(user)
        .select_related("subdistrict")
        .annotate(report=FilteredRelation("submissions", condition=Q(submissions__school_year=school_year)))
        .annotate(
            report_status=F("report__status"),
            report_submitted_at=F("report__submitted_at"),
            report_enrolled=Coalesce(Subquery(class_totals, output_field=IntegerField()), 0),
        )
        .order_by("subdistrict__code", "code")
    )


def tracker_counts(user, school_year: SchoolYear) -> list[dict]:
    """Per sub-district: operating kindergartens, how many submitted, drafted, not started (one GROUP BY)."""
    rows = list(
        expected_to_report(user)
        .annotate(report=FilteredRelation("submissions", condition=Q(submissions__school_year=school_year)))
        .values("subdistrict_id", "subdistrict__name", "subdistrict__code")
        .annotate(
            total=Count("id"),
            # A pending correction has reported: its official figures stand until the bureau decides.
            submitted=Count("id", filter=Q(report__status__in=REPORTED)),
            draft=Count("id", filter=Q(report__status=SubmissionStatus.DRAFT)),
        )
        .order_by("subdistrict__code")
    )
    for row in rows:
        row["missing"] = row["total"] - row["submitted"] - row["draft"]
        row["rate"] = _percent(row["submitted"], row["total"])
    return rows


class SubmissionTrackerView(LoginRequiredMixin, FilterView):
    filterset_class = SubmissionTrackerFilterSet
    template_name = "enrollment/tracker.html"
    paginate_by = 50

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        year = request.GET.get("year")
        if year:
            if not year.isdigit():
                raise Http404
            self.school_year = get_object_or_404(SchoolYear, start_year=int(year))
        else:
            self.school_year = SchoolYear.objects.current()
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Kindergarten]:
        if self.school_year is None:
            return Kindergarten.objects.none()
        return tracker_queryset(self.request.user, self.school_year)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        counts = tracker_counts(self.request.user, self.school_year) if self.school_year else []
        overall = {key: sum(row[key] for row in counts) for key in ("total", "submitted", "draft", "missing")}
        overall["rate"] = _percent(overall["submitted"], overall["total"])
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            school_year=self.school_year,
            years=SchoolYear.objects.all(),
            counts=counts,
            overall=overall,
            status_labels=dict(TrackerStatus.CHOICES),
            query=query.urlencode(),
            year_query=urlencode({"year": self.school_year.start_year}) if self.school_year else "",
        )
        return context


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


# --- school years --------------------------------------------------------------------------------


class SchoolYearListView(BureauRequiredMixin, ListView):
    template_name = "enrollment/schoolyear_list.html"

    def get_queryset(self) -> QuerySet[SchoolYear]:
        return SchoolYear.objects.select_related("locked_by").annotate(
            submitted=Count("submissions", filter=Q(submissions__status__in=REPORTED)),
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["operating"] = expected_to_report(self.request.user).count()
        return context


class SchoolYearCreateView(BureauRequiredMixin, CreateView):
    form_class = SchoolYearForm
    template_name = "enrollment/schoolyear_form.html"

    def form_valid(self, form: SchoolYearForm) -> HttpResponse:
        try:
            school_year = services.school_year_create(
                start_year=form.cleaned_data["start_year"],
                submission_due=form.cleaned_data["submission_due"],
                user=self.request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已创建%(year)s。") % {"year": school_year})
        return redirect("enrollment:schoolyear_list")


class SchoolYearUpdateView(BureauRequiredMixin, UpdateView):
    form_class = SchoolYearForm
    template_name = "enrollment/schoolyear_form.html"

    def get_object(self, queryset=None) -> SchoolYear:
        return get_object_or_404(SchoolYear, start_year=self.kwargs["start_year"])

    def form_valid(self, form: SchoolYearForm) -> HttpResponse:
        school_year = services.school_year_update(
            school_year=self.object, submission_due=form.cleaned_data["submission_due"], user=self.request.user
        )
        messages.success(self.request, _("已保存%(year)s。") % {"year": school_year})
        return redirect("enrollment:schoolyear_list")

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "history": history_entries(self.object)}


class SchoolYearLockView(BureauRequiredMixin, TemplateView):
    """Asks for confirmation (GET), then locks or unlocks the year (POST)."""

    template_name = "enrollment/schoolyear_lock.html"
    lock = True

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        school_year = get_object_or_404(SchoolYear, start_year=self.kwargs["start_year"])
        counts = tracker_counts(self.request.user, school_year)
        context.update(
            school_year=school_year,
            lock=self.lock,
            total=sum(r["total"] for r in counts),
            submitted=sum(r["submitted"] for r in counts),
        )
        return context

    def post(self, request: HttpRequest, start_year: int) -> HttpResponse:
        school_year = get_object_or_404(SchoolYear, start_year=start_year)
        if self.lock:
            services.school_year_lock(school_year=school_year, user=request.user)
            messages.success(request, _("已锁定%(year)s，园所不能再修改本学年数据。") % {"year": school_year})
        else:
            services.school_year_unlock(school_year=school_year, user=request.user)
            messages.success(request, _("已解锁%(year)s。") % {"year": school_year})
        return HttpResponseRedirect(f"{reverse('enrollment:tracker')}?{urlencode({'year': start_year})}")


class SchoolYearUnlockView(SchoolYearLockView):
    lock = False


# --- population ----------------------------------------------------------------------------------


class PopulationListView(LoginRequiredMixin, TemplateView):
    """Children by sub-district and age for one year, for the sub-districts the user may see."""

    template_name = "enrollment/population_list.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible = ChildPopulation.objects.visible_to(user)
        basis = self.request.GET.get("basis") or PopulationBasis.RESIDENT
        if basis not in PopulationBasis.values:
            raise Http404
        years = sorted(set(visible.filter(basis=basis).values_list("year", flat=True).distinct()), reverse=True)
        year = self.request.GET.get("year")
        if year:
            if not year.isdigit() or not 2000 <= int(year) <= 2100:
                raise Http404
            year = int(year)
        else:
            year = years[0] if years else timezone.localdate().year
        cells: dict[int, dict[int, int]] = {}
        for subdistrict_id, age, children in visible.filter(year=year, basis=basis).values_list(
            "subdistrict_id", "age", "children"
        ):
            cells.setdefault(subdistrict_id, {})[age] = children
        rows = []
        for subdistrict in Subdistrict.objects.visible_to(user).order_by("code"):
            counts = cells.get(subdistrict.pk, {})
            rows.append(
                {
                    "subdistrict": subdistrict,
                    "ages": [counts.get(age) for age in services.POPULATION_AGES],
                    "cohort": sum(counts.get(age, 0) for age in (3, 4, 5)) if counts else None,
                    "total": sum(counts.values()) if counts else None,
                }
            )
        filled = [r for r in rows if r["total"] is not None]
        context.update(
            rows=rows,
            year=year,
            years=sorted({*years, year}, reverse=True),
            basis=basis,
            bases=PopulationBasis.choices,
            ages=services.POPULATION_AGES,
            totals={
                "ages": [sum(r["ages"][i] or 0 for r in filled) for i, _age in enumerate(services.POPULATION_AGES)],
                "cohort": sum(r["cohort"] for r in filled),
                "total": sum(r["total"] for r in filled),
            },
            missing=len(rows) - len(filled),
            can_edit=user.is_bureau,
        )
        return context


class PopulationEditView(BureauRequiredMixin, FormView):
    form_class = PopulationForm
    template_name = "enrollment/population_form.html"

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        if not 2000 <= kwargs["year"] <= 2100:
            raise Http404
        self.subdistrict = get_object_or_404(Subdistrict, pk=kwargs["subdistrict_pk"])
        self.year = kwargs["year"]
        basis = request.POST.get("basis") or request.GET.get("basis") or PopulationBasis.RESIDENT
        self.basis = basis if basis in PopulationBasis.values else PopulationBasis.RESIDENT

    def get_initial(self) -> dict:
        rows = ChildPopulation.objects.filter(subdistrict=self.subdistrict, year=self.year, basis=self.basis)
        initial = {age_field_name(age): children for age, children in rows.values_list("age", "children")}
        return {**initial, "basis": self.basis}

    def form_valid(self, form: PopulationForm) -> HttpResponse:
        try:
            services.population_set(
                subdistrict=self.subdistrict,
                year=self.year,
                basis=form.cleaned_data["basis"],
                children_by_age=form.children_by_age(),
                user=self.request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("已保存%(name)s %(year)s年儿童人口。") % {"name": self.subdistrict.name, "year": self.year}
        )
        query = urlencode({"year": self.year, "basis": form.cleaned_data["basis"]})
        return HttpResponseRedirect(f"{reverse('enrollment:population_list')}?{query}")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(subdistrict=self.subdistrict, year=self.year, basis=self.basis)
        return context


# --- the statistics workbook ---------------------------------------------------------------------


class StatisticsImportView(BureauRequiredMixin, FormView):
    """Upload of the annual statistics workbook: all or nothing, every error listed."""

    form_class = SpreadsheetUploadForm
    template_name = "enrollment/statistics_import.html"
    shown_errors = 500

    def form_valid(self, form: SpreadsheetUploadForm) -> HttpResponse:
        try:
            result = services.statistics_import(file=form.cleaned_data["file"], user=self.request.user)
        except SpreadsheetError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        except ImportRejected as rejected:
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    rejected=rejected,
                    errors=rejected.errors[: self.shown_errors],
                    hidden_errors=max(len(rejected.errors) - self.shown_errors, 0),
                )
            )
        kinds = [("classes", _("班级")), ("children_by_age", _("分年龄在园幼儿")), ("population", _("儿童人口"))]
        rows = [
            (label, result.created[k], result.updated[k], result.deleted[k], result.unchanged[k]) for k, label in kinds
        ]
        return self.render_to_response(
            self.get_context_data(form=SpreadsheetUploadForm(), result=result, result_rows=rows)
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["sheets"] = [(title, [c.header for c in columns()]) for title, columns in spreadsheets.SHEETS]
        return context


class StatisticsTemplateView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return xlsx_response(
            spreadsheets.TEMPLATE_FILENAME, spreadsheets.template_sheets(), fallback=spreadsheets.TEMPLATE_FALLBACK
        )


class StatisticsExportView(LoginRequiredMixin, View):
    """Classes, children by age and population the user may see, in the import format.

    `?sheet=classes|enrollment|population|all` (default all), `year=` a school year's start
    year, `population_year=`, `subdistrict=` a sub-district id.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        part = request.GET.get("sheet") or "all"
        if part not in ("all", "classes", "enrollment", "population"):
            raise Http404
        filters = {}
        for name in ("year", "population_year", "subdistrict"):
            value = request.GET.get(name)
            if value:
                if not value.isdigit():
                    raise Http404
                filters[name] = int(value)
        kindergarten_filter = Q()
        if "year" in filters:
            kindergarten_filter &= Q(school_year__start_year=filters["year"])
        if "subdistrict" in filters:
            kindergarten_filter &= Q(kindergarten__subdistrict_id=filters["subdistrict"])
        parts = {}
        if part in ("all", "classes"):
            parts["classes"] = (
                SchoolClass.objects.visible_to(user)
                .filter(kindergarten_filter)
                .order_by("kindergarten__code", "school_year__start_year", grade_order(), "name")
                .values(
                    "kindergarten__code", "school_year__start_year", "class_type", "name", "approved_size", "enrolled"
                )
            )
        if part in ("all", "enrollment"):
            parts["children_by_age"] = (
                EnrollmentByAge.objects.visible_to(user)
                .filter(kindergarten_filter)
                .order_by("kindergarten__code", "school_year__start_year", "age")
                .values_list("kindergarten__code", "school_year__start_year", "age", "children")
            )
        if part in ("all", "population"):
            population = ChildPopulation.objects.visible_to(user)
            if "population_year" in filters:
                population = population.filter(year=filters["population_year"])
            if "subdistrict" in filters:
                population = population.filter(subdistrict_id=filters["subdistrict"])
            parts["population"] = population.order_by("subdistrict__code", "year", "basis", "age").values_list(
                "subdistrict__name", "year", "basis", "age", "children"
            )
        filename, fallback = spreadsheets.export_filename(part)
        return xlsx_response(filename, spreadsheets.export_sheets(**parts), fallback=fallback)
