"""The annual statistics workbook: template, upload (all or nothing) and export in the same format."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from accounts.mixins import BureauRequiredMixin
from common.spreadsheets import (
    ImportRejected,
    SpreadsheetError,
    SpreadsheetUploadForm,
    xlsx_response,
    xlsx_stream_response,
)

from .. import services, spreadsheets
from ..filtersets import ChildPopulationFilterSet, EnrollmentByAgeFilterSet, SchoolClassFilterSet
from ..models import ChildPopulation, EnrollmentByAge, SchoolClass, SchoolYear, grade_order


def latest_school_year() -> int | None:
    """The start year of the latest school year on record (the export's default)."""
    return SchoolYear.objects.aggregate(latest=Max("start_year"))["latest"]


def latest_population_year(user) -> int | None:
    """The latest year of child population the user may see (the export's default)."""
    return ChildPopulation.objects.visible_to(user).aggregate(latest=Max("year"))["latest"]


class StatisticsImportView(BureauRequiredMixin, FormView):
    """Upload of the annual statistics workbook: all or nothing, every error listed."""

    accepts_uploads = True  # the upload body limit (common.limits)

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
    year, `population_year=`, `subdistrict=` a sub-district id. The rows are filtered by the
    same FilterSets as the API, over the user's scope.

    Bounded: one school year and one population year per file. Without `year` the latest school
    year is exported, without `population_year` the latest population year the user may see;
    `year=all` (or `population_year=all`) is refused with a message, not answered with every
    year. The workbook is streamed through the shared writer (`xlsx_stream_response`).
    """

    UNBOUNDED = "all"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        part = request.GET.get("sheet") or "all"
        if part not in ("all", "classes", "enrollment", "population"):
            raise Http404
        query = request.GET
        if self.UNBOUNDED in (query.get("year"), query.get("population_year")):
            messages.error(
                request,
                _("统计报表一次只能导出一个学年（人口数据一个年份）：请选择年份；不选时导出最近一年。"),
            )
            return redirect("enrollment:tracker")
        year = query.get("year") or latest_school_year()
        population_year = query.get("population_year") or latest_population_year(user)
        rows = {"school_year": year, "subdistrict": query.get("subdistrict")}
        people = {"year": population_year, "subdistrict": query.get("subdistrict")}
        parts = {}
        if part in ("all", "classes"):
            classes = self._filtered(SchoolClassFilterSet, rows, SchoolClass.objects.visible_to(user))
            parts["classes"] = (
                classes.order_by("kindergarten__code", "school_year__start_year", grade_order(), "name")
                .values(
                    "kindergarten__code", "school_year__start_year", "class_type", "name", "approved_size", "enrolled"
                )
                .iterator(chunk_size=2000)
            )
        if part in ("all", "enrollment"):
            ages = self._filtered(EnrollmentByAgeFilterSet, rows, EnrollmentByAge.objects.visible_to(user))
            parts["children_by_age"] = (
                ages.order_by("kindergarten__code", "school_year__start_year", "age")
                .values_list("kindergarten__code", "school_year__start_year", "age", "children")
                .iterator(chunk_size=2000)
            )
        if part in ("all", "population"):
            population = self._filtered(ChildPopulationFilterSet, people, ChildPopulation.objects.visible_to(user))
            parts["population"] = population.order_by("subdistrict__code", "year", "basis", "age").values_list(
                "subdistrict__name", "year", "basis", "age", "children"
            )
        filename, fallback = spreadsheets.export_filename(part)
        return xlsx_stream_response(filename, spreadsheets.export_sheets(**parts), fallback=fallback)

    def _filtered(self, filterset_class, data: dict, queryset):
        """The queryset through the FilterSet; a value it refuses (not a number, a sub-district
        outside the scope) is a 404, as for any other address that names nothing."""
        filterset = filterset_class({k: v for k, v in data.items() if v}, queryset=queryset, request=self.request)
        if not filterset.is_valid():
            raise Http404
        return filterset.qs
