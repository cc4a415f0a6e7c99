"""A kindergarten's supervisory evaluation report as a PDF (WeasyPrint, A4, Chinese fonts embedded).

Built like the indicator report (`reports.pdf`): an HTML template rendered in Chinese, fonts
named "Noto Sans CJK SC" (Debian's fonts-noto-cjk), found by WeasyPrint through fontconfig and
embedded as a subset, and the one chart drawn as SVG on the server (WeasyPrint runs no
JavaScript). The report holds the cover facts, the overall grade, the average rating per area
(self-assessment beside the external one when the kindergarten submitted one in that cycle),
every point's rating with the evaluators' findings, and the cycle's issue list with statuses.

The report is rendered for nobody in particular: the download view decides who may have it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.db.models import Avg, Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import charts
from common.pdf import document_language, html_to_pdf

from .choices import AssessmentStatus
from .models import ExternalEvaluation, ExternalRating, QualityIssue, SelfAssessment, SelfAssessmentRating

REPORT_TITLE = gettext_lazy("幼儿园保育教育质量督导评估报告")


@dataclass(frozen=True)
class AreaAverage:
    order: int
    name: str
    external: float | None
    self_rating: float | None
    external_count: int

    @property
    def difference(self) -> float | None:
        if self.external is None or self.self_rating is None:
            return None
        return self.self_rating - self.external

    @property
    def difference_display(self) -> str:
        return "—" if self.difference is None else f"{self.difference:+.2f}"


def report_filename(evaluation: ExternalEvaluation) -> str:
    with document_language():
        return _("督导评估报告-%(name)s-%(cycle)s.pdf") % {
            "name": evaluation.kindergarten.name,
            "cycle": evaluation.cycle.name,
        }


def compared_self_assessment(evaluation: ExternalEvaluation) -> SelfAssessment | None:
    """The kindergarten's own assessment of the same cycle: the accepted version, else the one
    waiting for review; drafts and returned versions are not the kindergarten's final word."""
    return (
        SelfAssessment._base_manager.filter(
            kindergarten_id=evaluation.kindergarten_id,
            cycle_id=evaluation.cycle_id,
            status__in=[AssessmentStatus.ACCEPTED, AssessmentStatus.SUBMITTED],
        )
        .order_by("-version")
        .first()
    )


def area_averages(evaluation: ExternalEvaluation, assessment: SelfAssessment | None) -> list[AreaAverage]:
    """Average rating value per area, external and self, each one GROUP BY query."""
    area = "point__key_indicator__area"
    external = {
        row[f"{area}_id"]: row
        for row in ExternalRating._base_manager.filter(evaluation=evaluation, level__isnull=False)
        .values(f"{area}_id", f"{area}__order", f"{area}__name")
        .annotate(average=Avg("level__value"), rated=Count("id"))
    }
    own: dict[int, float] = {}
    if assessment is not None:
        own = {
            row[f"{area}_id"]: row["average"]
            for row in SelfAssessmentRating._base_manager.filter(assessment=assessment, level__isnull=False)
            .values(f"{area}_id")
            .annotate(average=Avg("level__value"))
        }
    areas = evaluation.framework_version.areas.order_by("order", "pk").values("id", "order", "name")
    return [
        AreaAverage(
            order=a["order"],
            name=a["name"],
            external=_float(external.get(a["id"], {}).get("average")),
            self_rating=_float(own.get(a["id"])),
            external_count=external.get(a["id"], {}).get("rated", 0),
        )
        for a in areas
    ]


def _float(value) -> float | None:
    return None if value is None else float(value)


def paired_bar_chart(
    rows: Sequence[AreaAverage], *, maximum: float, with_self: bool, width: int = 680, row_height: int = 30
) -> SafeString:
    """Horizontal bars per area on the rating scale: external (blue) and, if any, self (green).

    `common.charts` prints whole numbers on its bars; averages of a 1–4 scale need one decimal.
    """
    label_width, value_width, top, bottom = 90, 40, 26, 20
    plot_width = width - label_width - value_width
    height = top + bottom + row_height * max(len(rows), 1)
    bar_height = (row_height - 8) / (2 if with_self else 1)

    def x_of(value: float) -> float:
        return label_width + plot_width * min(max(value, 0) / maximum, 1)

    def text(x: float, y: float, content: str, *, size: int = 9, anchor: str = "start", color: str = "#1f2933"):
        return (
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{color}" '
            f'font-family="{charts.FONT}">{escape(content)}</text>'
        )

    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>']
    series = [(_("督导评估"), charts.BLUE)] + ([(_("幼儿园自评"), charts.GREEN)] if with_self else [])
    legend_x = label_width
    for name, color in series:
        body.append(f'<rect x="{legend_x}" y="6" width="10" height="10" fill="{color}"/>')
        body.append(text(legend_x + 14, 15, name))
        legend_x += 24 + 11 * len(name)
    for tick in range(int(maximum) + 1):
        x = x_of(tick)
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - bottom}" stroke="{charts.LINE}"/>')
        body.append(text(x, height - 6, str(tick), size=8, anchor="middle", color=charts.GREY))
    for index, row in enumerate(rows):
        y = top + index * row_height + 4
        body.append(text(label_width - 6, y + (row_height - 8) / 2 + 3, row.name, anchor="end"))
        values = [row.external] + ([row.self_rating] if with_self else [])
        for s_index, (value, (_name, color)) in enumerate(zip(values, series, strict=True)):
            bar_y = y + s_index * bar_height
            if value is None:
                body.append(text(label_width + 4, bar_y + bar_height - 3, "—", size=8, color=charts.GREY))
                continue
            bar_width = max(x_of(value) - label_width, 0.5)
            body.append(
                f'<rect x="{label_width}" y="{bar_y:.1f}" width="{bar_width:.1f}" height="{bar_height - 2:.1f}" '
                f'fill="{color}"/>'
            )
            body.append(text(label_width + bar_width + 4, bar_y + bar_height - 4, f"{value:.2f}", size=8))
    # Safe: every piece of text went through escape().
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="chart">' + "".join(body) + "</svg>"
    )


def report_context(evaluation: ExternalEvaluation) -> dict:
    evaluation = ExternalEvaluation._base_manager.select_related(
        "kindergarten__subdistrict", "cycle", "framework_version", "team__leader", "published_by"
    ).get(pk=evaluation.pk)
    assessment = compared_self_assessment(evaluation)
    ratings = list(
        ExternalRating._base_manager.filter(evaluation=evaluation)
        .select_related("point__key_indicator__area", "level")
        .order_by("point__key_indicator__area__order", "point__key_indicator__order", "point__order", "point_id")
    )
    self_levels = {}
    if assessment is not None:
        self_levels = {
            r.point_id: r.level
            for r in SelfAssessmentRating._base_manager.filter(assessment=assessment).select_related("level")
        }
    for number, rating in enumerate(ratings, start=1):
        rating.number = number
        rating.self_level = self_levels.get(rating.point_id)
    averages = area_averages(evaluation, assessment)
    levels = list(evaluation.framework_version.rating_scale.levels.order_by("value"))
    maximum = max((level.value for level in levels), default=4)
    issues = list(
        QualityIssue._base_manager.filter(kindergarten_id=evaluation.kindergarten_id, cycle_id=evaluation.cycle_id)
        .select_related("point__key_indicator")
        .order_by("deadline", "pk")
    )
    today = timezone.localdate()
    return {
        "title": REPORT_TITLE,
        "evaluation": evaluation,
        "kindergarten": evaluation.kindergarten,
        "members": list(evaluation.team.members.order_by("username")),
        "assessment": assessment,
        "ratings": ratings,
        "levels": levels,
        "averages": averages,
        "chart": paired_bar_chart(averages, maximum=maximum, with_self=assessment is not None) if ratings else None,
        "issues": issues,
        "overdue_count": sum(1 for issue in issues if issue.is_overdue),
        "today": today,
        "generated_at": timezone.localtime(),
    }


def render_evaluation_html(evaluation: ExternalEvaluation) -> str:
    # The report is a Chinese document whatever language the requesting page uses.
    with document_language():
        return render_to_string("inspections/evaluation_report_pdf.html", report_context(evaluation))


def render_evaluation_pdf(evaluation: ExternalEvaluation) -> bytes:
    """The evaluation's report as PDF bytes."""
    return html_to_pdf(render_evaluation_html(evaluation))
