"""The staff chapter of the PDF report: the indicators with numerator, denominator and target; the
district's sub-districts short of a target, a sub-district's kindergartens short of the standard.

Data: `district` of test_indicators (A meets the standard, B short of health staff, C short of
everything): staffing compliance 1 / 3 in the district, 1 / 2 in 望京, 0 / 1 in 双井.
"""

from __future__ import annotations

import pytest

from reports.indicators import compute_indicators_for
from reports.models import IndicatorSnapshot
from reports.pdf import render_report_html

from .test_indicators import district  # noqa: F401 — the fixture is used by name

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshots(district, today):  # noqa: F811
    IndicatorSnapshot.objects.bulk_create(value.to_snapshot(today) for value in compute_indicators_for(today))


def staff_chapter(html: str) -> str:
    start = html.index('numbered">教职工队伍')
    return html[start : html.index("</section>", start)]


def test_it_the_district_report_has_the_staff_chapter_without_kindergartens(snapshots, today, kg_b):
    chapter = staff_chapter(render_report_html(date=today))
    for label in ("教职工配备达标率", "专任教师生师比", "园长持证率", "即将到期证书数", "配备达标园", "在办幼儿园"):
        assert label in chapter
    assert "33.3%" in chapter  # staffing compliance 1 / 3
    assert "教职工指标未达目标的街道/地区（2 个）" in chapter
    assert "望京" in chapter and "双井" in chapter
    assert kg_b.name not in chapter


def test_it_a_subdistrict_report_lists_its_kindergartens_short_of_the_standard(snapshots, today, wangjing, kg_a, kg_b):
    chapter = staff_chapter(render_report_html(date=today, subdistrict=wangjing))
    assert "50.0%" in chapter  # 望京's staffing compliance 1 / 2
    listed = chapter[chapter.index("教职工配备未达标的幼儿园") :]
    assert kg_b.name in listed  # 180 children, one health worker
    assert kg_a.name not in listed  # staffed to the standard
    assert "专职卫生保健人员" in listed
