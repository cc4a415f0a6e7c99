"""The bureau's submission tracker: who has reported for a school year, per sub-district."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode
from django_filters.views import FilterView

from kindergartens.models import Kindergarten

from ..filtersets import SubmissionTrackerFilterSet, TrackerStatus
from ..models import SchoolYear
from ..selectors import percent, tracker_counts, tracker_queryset


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
        )
        return context
