"""Use of results: the district overview of published results, its xlsx export and a
kindergarten's evaluation report as PDF.

The overview and the export are for the officials and evaluators (each within their scope:
a sub-district official sees their own sub-district, an evaluator the kindergartens assigned to
them); a director reads their own kindergarten's results on its page and in the PDF. Every
number comes from `inspections.results`, which starts from `restrict(user)`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from accounts.mixins import ScopedQuerysetMixin
from accounts.permissions import Act, may
from common.spreadsheets import (
    ChoiceColumn,
    Column,
    DateColumn,
    IntegerColumn,
    Sheet,
    TextColumn,
    xlsx_response,
)
from kindergartens.choices import Ownership
from kindergartens.models import Subdistrict

from .. import results
from ..choices import ResultGrade
from ..models import EvaluationCycle, ExternalEvaluation

GRADE_COLOURS = {
    ResultGrade.EXCELLENT: "#1f8a4c",
    ResultGrade.GOOD: "#2f6fbf",
    ResultGrade.QUALIFIED: "#b7791f",
    ResultGrade.UNQUALIFIED: "#c0392b",
}


class ResultsAccessMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Officials and evaluators; directors see their results on their kindergarten's page (403 here)."""

    def test_func(self) -> bool:
        user = self.request.user
        return user.is_active and not may(user, Act.FILL)

    @cached_property
    def cycles(self) -> list[EvaluationCycle]:
        return list(EvaluationCycle.objects.restrict(self.request.user).only("id", "name", "start_year"))

    @cached_property
    def cycle(self) -> EvaluationCycle | None:
        """The cycle asked for (?cycle=id), else the current one, else the newest."""
        wanted = self.request.GET.get("cycle", "")
        if wanted.isdecimal():
            for cycle in self.cycles:
                if cycle.pk == int(wanted):
                    return cycle
        current = EvaluationCycle.objects.current()
        if current is not None:
            return current
        return self.cycles[0] if self.cycles else None

    @cached_property
    def subdistricts(self) -> list[Subdistrict]:
        return list(Subdistrict.objects.visible_to(self.request.user).only("id", "name", "code"))

    @cached_property
    def subdistrict(self) -> Subdistrict | None:
        wanted = self.request.GET.get("subdistrict", "")
        if wanted.isdecimal():
            for subdistrict in self.subdistricts:
                if subdistrict.pk == int(wanted):
                    return subdistrict
        return None

    def query_string(self) -> str:
        parts = []
        if self.cycle is not None:
            parts.append(f"cycle={self.cycle.pk}")
        if self.subdistrict is not None:
            parts.append(f"subdistrict={self.subdistrict.pk}")
        return "&".join(parts)


def _chart_rows(rows: list[results.ResultRow]) -> dict:
    return {
        "names": [row.label for row in rows],
        "series": [
            {"grade": grade, "label": str(ResultGrade(grade).label), "color": GRADE_COLOURS[grade], "data": values}
            for grade, values in zip(results.GRADES, zip(*[row.grade_counts for row in rows], strict=True), strict=True)
        ]
        if rows
        else [],
    }


class ResultsOverviewView(ResultsAccessMixin, TemplateView):
    """Grade distribution per sub-district and per ownership for a cycle, with coverage and issues."""

    template_name = "inspections/results_overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        overview = results.overview(self.request.user, self.cycle, subdistrict=self.subdistrict)
        context.update(
            overview=overview,
            cycles=self.cycles,
            cycle=self.cycle,
            subdistricts=self.subdistricts if len(self.subdistricts) > 1 else [],
            subdistrict=self.subdistrict,
            grades=[(grade, ResultGrade(grade).label) for grade in results.GRADES],
            query=self.query_string(),
            chart_data={
                "subdistricts": _chart_rows(overview.by_subdistrict),
                "sponsors": _chart_rows(overview.by_sponsor_type),
                "labels": {"count": _("幼儿园数")},
            },
        )
        return context


def _choices(enum) -> tuple[tuple[str, str], ...]:
    return tuple((code, str(label)) for code, label in enum.choices)


def result_columns() -> list[Column]:
    return [
        TextColumn(header=_("幼儿园编码"), field="code"),
        TextColumn(header=_("幼儿园名称"), field="name", width=30),
        TextColumn(header=_("街道/地区"), field="subdistrict"),
        ChoiceColumn(header=_("办园性质"), field="ownership", choices=_choices(Ownership)),
        TextColumn(header=_("评估周期"), field="cycle", width=22),
        ChoiceColumn(header=_("评估结果等级"), field="grade", choices=_choices(ResultGrade)),
        DateColumn(header=_("入园评估日期"), field="visit_date"),
        Column(header=_("公布时间"), field="published_at", number_format="yyyy-mm-dd hh:mm", width=18),
        IntegerColumn(header=_("未整改问题"), field="open_issues"),
        IntegerColumn(header=_("逾期问题"), field="overdue_issues"),
    ]


def export_row(evaluation: ExternalEvaluation) -> dict:
    published = evaluation.published_at
    return {
        "code": evaluation.kindergarten.code,
        "name": evaluation.kindergarten.name,
        "subdistrict": evaluation.kindergarten.subdistrict.name,
        "ownership": evaluation.result_ownership,
        "cycle": evaluation.cycle.name,
        "grade": evaluation.grade,
        "visit_date": evaluation.visit_date,
        # Excel has no time zones: the Beijing wall-clock time.
        "published_at": timezone.localtime(published).replace(tzinfo=None) if published else None,
        "open_issues": evaluation.open_issues,
        "overdue_issues": evaluation.overdue_issues,
    }


class ResultsExportView(ResultsAccessMixin, View):
    """The published results of the chosen cycle in the user's scope, one row per kindergarten."""

    def get(self, request) -> HttpResponse:
        rows = results.result_rows(request.user, self.cycle, subdistrict=self.subdistrict)
        with translation.override(settings.LANGUAGE_CODE):
            notes = [
                _("只含已公布的督导评估结果；未整改问题、逾期问题按该周期的问题清单统计（截至导出当日）。"),
            ]
            sheets = [
                Sheet(
                    title=_("评估结果"),
                    columns=result_columns(),
                    rows=[export_row(e) for e in rows],
                    notes=notes,
                    dropdowns=False,
                )
            ]
            cycle_name = self.cycle.name if self.cycle else _("全部周期")
            return xlsx_response(
                _("督导评估结果-%(cycle)s.xlsx") % {"cycle": cycle_name},
                sheets,
                fallback=f"evaluation-results-{self.cycle.start_year if self.cycle else 'all'}.xlsx",
            )


class EvaluationReportPdfView(ScopedQuerysetMixin, DetailView):
    """A kindergarten's evaluation report as PDF, for whoever may see the evaluation (others: 404;
    a director only once it is published)."""

    model = ExternalEvaluation

    def get_queryset(self):
        return super().get_queryset().select_related("kindergarten", "cycle")

    def render_to_response(self, context, **response_kwargs) -> HttpResponse:
        from .. import pdf  # WeasyPrint is heavy; only this view needs it

        evaluation = self.object
        response = HttpResponse(pdf.render_evaluation_pdf(evaluation), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, pdf.report_filename(evaluation))
        response["Cache-Control"] = "no-store"
        return response
