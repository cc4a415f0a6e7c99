"""The safety figures where officials read them: the dashboard's panel and the PDF report's chapter.

Data: `world` of test_indicators (D = 2025-11-15): guard 1/3, alarm 2/3, video 1/3, closed 2/3,
all four 1/3 (望京 1/2 …, 双井 0/1); overdue 2 and major open 2 (望京 1 + 双井 1 each); closure
rate 1/3 (望京 1/2, 双井 0/1).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from reports.indicators import compute_indicators_for
from reports.models import IndicatorSnapshot
from reports.pdf import render_report_html, render_report_pdf
from safety import indicators as codes
from tests.conftest import client_for

from .test_indicators import D, world  # noqa: F401 — the fixture is used by name

pytestmark = pytest.mark.django_db


def panel_figures(panel) -> dict[str, tuple]:
    found = {}
    for item in [*panel.coverages, *panel.hazards]:
        figure = item.figure
        found[figure.indicator] = (int(figure.numerator), figure.denominator and int(figure.denominator), figure.met)
    return found


@pytest.mark.usefixtures("world")
class TestPanel:
    def test_it_shows_the_districts_figures_with_their_verdicts(self, bureau_official):
        got = panel_figures(codes.safety_panel(bureau_official, None, today=D))
        assert got == {
            codes.GUARD_COVERAGE: (1, 3, False),
            codes.ALARM_COVERAGE: (2, 3, False),
            codes.VIDEO_COVERAGE: (1, 3, False),
            codes.CLOSED_CAMPUS_COVERAGE: (2, 3, False),
            codes.SAFETY_FULL_COVERAGE: (1, 3, False),
            codes.HAZARDS_OVERDUE: (2, None, False),
            codes.MAJOR_HAZARDS_OPEN: (2, None, False),
            codes.HAZARD_CLOSURE_RATE: (1, 3, False),
        }

    def test_a_subdistrict_official_gets_their_area_only(self, wangjing_official, wangjing):
        # Even asked for the district, the rows are those the official may see.
        for subdistrict in (None, wangjing):
            got = panel_figures(codes.safety_panel(wangjing_official, subdistrict, today=D))
            assert got[codes.GUARD_COVERAGE] == (1, 2, False)
            assert got[codes.ALARM_COVERAGE] == (2, 2, True)
            assert got[codes.HAZARDS_OVERDUE] == (1, None, False)
            assert got[codes.HAZARD_CLOSURE_RATE] == (1, 2, False)

    def test_it_links_to_the_lists_behind_each_figure(self, bureau_official, wangjing):
        panel = codes.safety_panel(bureau_official, wangjing, today=D)
        links = {item.figure.indicator: item.url for item in [*panel.coverages, *panel.hazards]}
        assert links[codes.GUARD_COVERAGE] == (
            f"{reverse('reports:drilldown', args=['guard_coverage'])}?subdistrict={wangjing.pk}&part=out"
        )
        assert links[codes.HAZARDS_OVERDUE] == f"{reverse('safety:hazard_overdue')}?subdistrict={wangjing.pk}"
        assert "severity=major" in links[codes.MAJOR_HAZARDS_OPEN]
        assert "deadline_from=2024-11-15&deadline_to=2025-11-14" in links[codes.HAZARD_CLOSURE_RATE]

    def test_the_dashboard_page_shows_it_for_the_users_scope(self, client, wangjing_official, wangjing):
        # The page holds the place of the panel, fetched from its own URL after the page is shown.
        page = client_for(client, wangjing_official).get(reverse("reports:dashboard"), follow=True)
        url = f"{reverse('reports:dashboard_panel', args=['safety'])}?subdistrict={wangjing.pk}"
        assert f'data-panel-url="{url}"' in page.content.decode()
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="safety-panel"' in html and "平安校园" in html
        assert f"{reverse('safety:hazard_overdue')}?subdistrict={wangjing.pk}" in html

    def test_it_costs_a_fixed_number_of_queries(self, bureau_official, django_assert_max_num_queries):
        with django_assert_max_num_queries(5):
            codes.safety_panel(bureau_official, None, today=D)


@pytest.fixture
def snapshots(request):
    request.getfixturevalue("world")
    IndicatorSnapshot.objects.bulk_create(value.to_snapshot(D) for value in compute_indicators_for(D))


def safety_chapter(html: str) -> str:
    """The registered chapter only: from its heading to the definitions' chapter."""
    return html[html.index('numbered">平安校园') : html.index("指标定义与统计口径")]


class TestReport:
    def test_the_district_report_has_the_safety_chapter_without_kindergartens(self, snapshots, kg_b):
        chapter = safety_chapter(render_report_html(date=D))
        for label in ("一键式报警联网率", "逾期未整改隐患数", "隐患按期整改率", "未达目标的街道/地区（2 个）"):
            assert label in chapter
        assert "其余 41 个街道/地区各项均达到目标" in chapter  # the other seeded sub-districts: no figure short
        assert "建外" not in chapter
        assert "33.3%" in chapter  # guard coverage 1 / 3, with its numerator and denominator beside it
        assert "望京" in chapter and "双井" in chapter  # one row per sub-district
        assert kg_b.name not in chapter  # the district report lists no kindergarten

    def test_a_subdistrict_report_lists_what_falls_short(self, snapshots, wangjing, kg_a, kg_b):
        html = safety_chapter(render_report_html(date=D, subdistrict=wangjing))
        assert "50.0%" in html  # 望京's guard coverage 1 / 2
        chapter = html[html.index("“三个100%”未全部达标的幼儿园") :]
        assert kg_b.name in chapter  # guards short, video not linked
        assert kg_a.code not in chapter.split("逾期隐患和未销号重大隐患")[0]  # A meets all four
        assert "逾期隐患和未销号重大隐患" in chapter

    @pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
    def test_the_chapter_is_in_the_rendered_pdf(self, snapshots, wangjing, tmp_path):
        for subdistrict in (None, wangjing):
            path = tmp_path / "report.pdf"
            path.write_bytes(render_report_pdf(date=D, subdistrict=subdistrict))
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
            assert "平安校园" in text and "隐患按期整改率" in text
