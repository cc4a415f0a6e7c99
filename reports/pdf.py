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
import os
import time
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import SYSTEM
from common import charts
from common.files import replace_file
from common.pdf import document_language, html_to_pdf
from common.report_rows import ALL_ROWS, BEST_ROWS, SHOWN_ROWS, Excerpt, excerpt
from enrollment.choices import EnrollmentIndicator
from kindergartens.models import Subdistrict

from . import registry
from .choices import RunStatus
from .dashboard import Dashboard, Figure, SubdistrictRow, build_dashboard
from .glossary import definitions
from .indicators import Scope, drilldown_kindergartens
from .models import ComputationRun

REPORT_TITLE = gettext_lazy("朝阳区学前教育“十四五”行动计划 指标监测报告")
CHART_WORST = 10  # bars of the "furthest behind" chart when there are too many sub-districts for one each


def report_path(*, date: datetime.date, subdistrict: Subdistrict | None = None) -> Path:
    """Where the report for the scope and date is kept: one folder per night."""
    # By primary key: a code corrected after the run must not hand one sub-district another's file.
    name = "district.pdf" if subdistrict is None else f"subdistrict-{subdistrict.pk}.pdf"
    return Path(settings.REPORTS_ROOT) / date.isoformat() / name


def committed_runs(day: datetime.date) -> QuerySet[ComputationRun]:
    """The runs that saved `day`'s figures, the latest first (a run that failed before its commit,
    or was skipped, records no snapshot)."""
    return ComputationRun.objects.filter(date=day, snapshot_count__gt=0).order_by("-started_at", "-pk")


def kept_report(*, date: datetime.date, subdistrict: Subdistrict | None = None) -> Path | None:
    """The kept file of the scope and date when it shows the date's current figures, else None.

    A kept file's modification time is when its figures were read (`render_report_file`). It is
    current only when the latest run that saved the date's figures succeeded and the file was read
    after them: the district's, rendered inside that run after its commit, after the run started;
    a sub-district's, rendered by the task after the run (`services.render_subdistrict_reports`),
    after the run ended. Otherwise (an earlier run's file, a run whose PDF failed, a backfill that
    rendered none, a render that began before a newer run) the download renders the report now.
    """
    path = report_path(date=date, subdistrict=subdistrict)
    if not path.is_file():
        return None
    latest = committed_runs(date).first()
    if latest is None or latest.status != RunStatus.SUCCEEDED or latest.finished_at is None:
        return None
    since = latest.started_at if subdistrict is None else latest.finished_at
    return path if path.stat().st_mtime >= since.timestamp() else None


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


def _worst_first(index: int):
    """Sort key: furthest below the figure's main target first, then by value; no value last."""

    def key(row) -> tuple:
        figure = row.figures[index]
        return (
            figure.value is None,
            not figure.short,
            figure.gap if figure.gap is not None else figure.value,
            row.code,
        )

    return key


def _headline_sections(board: Dashboard) -> list[dict]:
    """Per target: its figure, its trend chart and (district) where the sub-districts stand.

    Up to ALL_ROWS sub-districts (Chaoyang's 43) a bar per sub-district, ranked; beyond, a chart of
    how many sub-districts fall in each value band and the CHART_WORST furthest behind.
    """
    many = len(board.rows) > ALL_ROWS
    sections = []
    for index, figure in enumerate(board.headline):
        marks = _target_marks(figure)
        points = [(day.strftime("%Y-%m-%d"), _float(value)) for day, value in board.trend.get(figure.indicator, [])]
        section = {
            "figure": figure,
            "trend": charts.line_chart(points, targets=marks) if points else None,
            "bars": None,
            "histogram": None,
        }
        if board.rows:
            short = [row for row in board.rows if row.figures[index].short]
            section["short_count"] = len(short)
            section["no_value"] = sum(1 for row in board.rows if row.figures[index].value is None)
            if many:
                section["histogram"] = charts.histogram(
                    [_float(row.figures[index].value) for row in board.rows],
                    short=[row.figures[index].short for row in board.rows],
                    target=marks[0] if marks else None,
                )
                rows = sorted(board.rows, key=_worst_first(index))[:CHART_WORST]
                rows = [row for row in rows if row.figures[index].value is not None]
            else:
                rows = sorted(
                    board.rows,
                    key=lambda row: (row.figures[index].value is None, -(row.figures[index].value or 0), row.code),
                )
                section["short_names"] = [row.name for row in rows if row.figures[index].short]
            section["bars"] = charts.bar_chart(
                [(row.name, _float(row.figures[index].value)) for row in rows],
                target=marks[0] if marks else None,
                short=[row.figures[index].short for row in rows],
            )
            section["bar_count"] = len(rows)
        sections.append(section)
    return sections


def subdistrict_table(rows: list[SubdistrictRow]) -> Excerpt:
    """The per-sub-district table: every row (in code order) up to ALL_ROWS; beyond, the
    SHOWN_ROWS furthest behind (short of a target first) and the BEST_ROWS best."""
    if len(rows) <= ALL_ROWS:
        return Excerpt(rows, len(rows))

    def behind(row: SubdistrictRow) -> tuple:
        gap = row.worst_gap
        return (not row.short, gap is None, gap if gap is not None else 0, row.code)

    ranked = sorted(rows, key=behind)
    worst = ranked[:SHOWN_ROWS]
    with_gap = [row for row in ranked[SHOWN_ROWS:] if row.worst_gap is not None]
    best = sorted(with_gap, key=lambda row: (-row.worst_gap, row.code))[:BEST_ROWS]
    return Excerpt(worst, len(rows), best=best)


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
        "subdistrict_table": subdistrict_table(board.rows),
        # The largest gaps first when there are too many to list.
        "forecast_rows": excerpt(
            (row for row in board.forecast_rows if any((s or 0) > 0 for s in row.shortfalls)),
            worst_first=lambda row: -max(s or 0 for s in row.shortfalls),
        ),
        "warnings": excerpt(board.warnings),  # in the page's order: the most urgent first
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
    began = time.time()
    content = render_report_pdf(date=date, subdistrict=subdistrict)
    path = replace_file(report_path(date=date, subdistrict=subdistrict), content)
    os.utime(path, (began, began))  # when its figures were read, which `kept_report` compares
    return path
