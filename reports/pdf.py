"""The indicator monitoring report as a PDF (WeasyPrint, A4, Chinese fonts embedded).

`render_report_pdf` renders the district's or one sub-district's report for a snapshot date;
`render_report_file` writes it under ``REPORTS_ROOT/YYYY-MM-DD/`` so each night's file is kept
(the nightly job calls it after a successful computation). The report reads the same `Dashboard`
object as the page, plus the chapters apps register (`reports.registry.PdfSection`, e.g. safety's); its charts are SVG drawn on the server by `common.charts`, and it is laid out
by `common.pdf` (WeasyPrint, the Chinese font embedded).

The report is rendered for nobody in particular (`accounts.scoping.SYSTEM`, the whole district):
the download view decides who may have which report.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import SYSTEM
from common import charts
from common.files import replace_file
from common.pdf import document_language, html_to_pdf
from enrollment.choices import EnrollmentIndicator
from kindergartens.models import Subdistrict

from . import registry
from .dashboard import Dashboard, Figure, build_dashboard
from .glossary import definitions
from .indicators import Scope, drilldown_kindergartens

REPORT_TITLE = gettext_lazy("朝阳区学前教育“十四五”行动计划 指标监测报告")


def report_path(*, date: datetime.date, subdistrict: Subdistrict | None = None) -> Path:
    """Where the report for the scope and date is kept: one folder per night."""
    name = "district.pdf" if subdistrict is None else f"subdistrict-{subdistrict.code}.pdf"
    return Path(settings.REPORTS_ROOT) / date.isoformat() / name


def report_filename(*, date: datetime.date, subdistrict: Subdistrict | None = None) -> str:
    """The download name people see: scope and date in Chinese."""
    with document_language():
        scope = _("全区") if subdistrict is None else subdistrict.name
        return _("朝阳区学前教育指标监测报告-%(scope)s-%(date)s.pdf") % {"scope": scope, "date": date.isoformat()}


def _float(value) -> float | None:
    return None if value is None else float(value)


def _target_marks(figure: Figure) -> list[charts.TargetMark]:
    return [
        charts.TargetMark(
            label=_("朝阳目标") if target.is_chaoyang else _("国家标准"),
            value=float(target.value),
            color=charts.RED if target.is_chaoyang else charts.ORANGE,
        )
        for target in figure.targets
    ]


def _headline_sections(board: Dashboard) -> list[dict]:
    """Per target: its figure, its trend chart and (district) its bar chart per sub-district."""
    sections = []
    for index, figure in enumerate(board.headline):
        marks = _target_marks(figure)
        points = [(day.strftime("%Y-%m-%d"), _float(value)) for day, value in board.trend.get(figure.indicator, [])]
        section = {
            "figure": figure,
            "trend": charts.line_chart(points, targets=marks) if points else None,
            "bars": None,
        }
        if board.rows:
            rows = sorted(
                board.rows,
                key=lambda row: (row.figures[index].value is None, -(row.figures[index].value or 0), row.code),
            )
            section["bars"] = charts.bar_chart(
                [(row.name, _float(row.figures[index].value)) for row in rows],
                target=marks[0] if marks else None,
                short=[row.figures[index].short for row in rows],
            )
            section["short_names"] = [row.name for row in rows if row.figures[index].short]
        sections.append(section)
    return sections


def app_sections(board: Dashboard) -> list[dict]:
    """The chapters apps registered (`registry.register_pdf_section`), built for the report's date."""
    if board.date is None:
        return []
    return [
        {"template": section.template, "name": section.name, "data": section.build(board.date, board.subdistrict)}
        for section in registry.pdf_sections()
    ]


def report_context(*, date: datetime.date, subdistrict: Subdistrict | None = None) -> dict:
    board = build_dashboard(
        user=SYSTEM, subdistrict=subdistrict, date=date, all_warnings=True, forecast_by_subdistrict=True
    )
    forecast_chart = None
    if board.forecast:
        forecast_chart = charts.grouped_bar_chart(
            [str(f.year) for f in board.forecast],
            [
                (_("学位需求"), charts.BLUE, [f.demand for f in board.forecast]),
                (_("学位供给"), charts.GREEN, [f.seats for f in board.forecast]),
                (_("学位缺口"), charts.RED, [f.gap for f in board.forecast]),
            ],
        )
    kindergartens = []
    if subdistrict is not None and board.date is not None:
        kindergartens = list(
            drilldown_kindergartens(
                EnrollmentIndicator.GROSS_ENROLLMENT_RATE, Scope.of_subdistrict(subdistrict), board.date
            )
        )
    return {
        "title": REPORT_TITLE,
        # The cover sets the plan's name and "指标监测报告" on two lines rather than wherever it wraps.
        "title_lines": str(REPORT_TITLE).rsplit(" ", 1),
        "board": board,
        "requested_date": date,
        "sections": _headline_sections(board),
        "forecast_chart": forecast_chart,
        "forecast_rows": [row for row in board.forecast_rows if any((s or 0) > 0 for s in row.shortfalls)],
        "kindergartens": kindergartens,
        "app_sections": app_sections(board),
        "definitions": definitions(),
        "generated_at": timezone.localtime(),
    }


def render_report_html(*, date: datetime.date, subdistrict: Subdistrict | None = None) -> str:
    # The report is a Chinese document whatever language the requesting page uses.
    with document_language():
        return render_to_string("reports/report_pdf.html", report_context(date=date, subdistrict=subdistrict))


def render_report_pdf(*, date: datetime.date, subdistrict: Subdistrict | None = None) -> bytes:
    """The report for the district (or one sub-district) on the snapshot date, as PDF bytes."""
    return html_to_pdf(render_report_html(date=date, subdistrict=subdistrict))


def render_report_file(*, date: datetime.date, subdistrict: Subdistrict | None = None) -> Path:
    """Renders the report and keeps it under REPORTS_ROOT/YYYY-MM-DD/ (replacing that night's)."""
    content = render_report_pdf(date=date, subdistrict=subdistrict)
    return replace_file(report_path(date=date, subdistrict=subdistrict), content)
