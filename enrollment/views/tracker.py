"""The bureau's submission tracker: who has reported for a school year, per sub-district, how
late, and the workbook of those who still owe their report (with whom to call)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from common.spreadsheets import IntegerColumn, Sheet, TextColumn, xlsx_response
from kindergartens.models import Kindergarten

from ..filtersets import SubmissionTrackerFilterSet, TrackerStatus
from ..models import SchoolYear
from ..selectors import REPORTED, days_late, percent, tracker_counts, tracker_queryset


def requested_year(request: HttpRequest) -> SchoolYear | None:
    """`?year=<start year>`, else the current school year (404 for a year that does not exist)."""
    year = request.GET.get("year")
    if year:
        if not year.isdigit():
            raise Http404
        return get_object_or_404(SchoolYear, start_year=int(year))
    return SchoolYear.objects.current()


def with_days_late(rows, school_year: SchoolYear, today) -> list[Kindergarten]:
    """Sets `days_late` on each tracker row (0 when on time)."""
    rows = list(rows)
    for row in rows:
        reported_on = row.report_day if row.report_status in REPORTED else None
        row.days_late = days_late(school_year.submission_due, reported_on, today)
    return rows


class SubmissionTrackerView(LoginRequiredMixin, FilterView):
    filterset_class = SubmissionTrackerFilterSet
    template_name = "enrollment/tracker.html"
    paginate_by = 50

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.school_year = requested_year(request)
        self.today = timezone.localdate()
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Kindergarten]:
        if self.school_year is None:
            return Kindergarten.objects.none()
        return tracker_queryset(self.request.user, self.school_year, self.today)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        if self.school_year is not None:
            context["object_list"] = with_days_late(context["object_list"], self.school_year, self.today)
        counts = tracker_counts(self.request.user, self.school_year) if self.school_year else []
        overall = {key: sum(row[key] for row in counts) for key in ("total", "submitted", "draft", "missing")}
        overall["rate"] = percent(overall["submitted"], overall["total"])
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
            past_deadline=bool(
                self.school_year and self.school_year.submission_due and self.school_year.submission_due < self.today
            ),
        )
        return context


class NonSubmitterExportView(LoginRequiredMixin, View):
    """The kindergartens (in the user's scope, narrowed by the tracker's filters) that have not
    submitted their report for the year — a draft or nothing — with principal and phone."""

    def get(self, request: HttpRequest) -> HttpResponse:
        school_year = requested_year(request)
        if school_year is None:
            raise Http404
        today = timezone.localdate()
        data = request.GET.copy()
        data["status"] = TrackerStatus.UNREPORTED
        filterset = SubmissionTrackerFilterSet(
            data, queryset=tracker_queryset(request.user, school_year, today), request=request
        )
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        rows = with_days_late(rows.order_by("subdistrict__code", "code"), school_year, today)
        status = dict(TrackerStatus.CHOICES)
        for row in rows:
            row.status_label = str(status.get(row.report_status or TrackerStatus.MISSING))
            row.subdistrict_name = row.subdistrict.name
        columns = [
            TextColumn(header=_("幼儿园编码"), field="code"),
            TextColumn(header=_("幼儿园名称"), field="name"),
            TextColumn(header=_("街道/地区"), field="subdistrict_name"),
            TextColumn(header=_("报送状态"), field="status_label"),
            IntegerColumn(header=_("逾期天数"), field="days_late"),
            TextColumn(header=_("园长"), field="principal"),
            TextColumn(header=_("联系电话"), field="phone"),
            TextColumn(header=_("地址"), field="address"),
        ]
        due = school_year.submission_due
        notes = [
            _("%(year)s 未报送在园情况的幼儿园（草稿或未填报），导出于 %(today)s。")
            % {"year": school_year, "today": today.isoformat()},
            _("报送截止日期：%(due)s。") % {"due": due.isoformat()} if due else _("本学年未设报送截止日期。"),
        ]
        sheet = Sheet(title=_("未报送园所"), columns=columns, rows=rows, notes=notes, dropdowns=False)
        return xlsx_response(
            _("未报送园所-%(year)s.xlsx") % {"year": school_year.label}, [sheet], fallback="non-submitters.xlsx"
        )
