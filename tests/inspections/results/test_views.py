"""The results overview, its xlsx export and the kindergarten page's 质量评估 section: scoping per
persona and query counts pinned at two sizes."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from inspections.choices import EvaluationStatus, ResultGrade
from tests.conftest import client_for
from tests.factories import KindergartenFactory, UserFactory, subdistrict

from ..factories import PAST, assign, cycle, external_evaluation, handbook, quality_issue

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("inspections:results_overview")
EXPORT = reverse("inspections:results_export")


def export_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    # Data rows end at the first empty row (the notes follow it).
    data = []
    for row in values[1:]:
        if row[0] is None:
            break
        data.append(row)
    return [values[0], *data]


def test_the_overview_shows_the_bureau_every_subdistrict(client, world, bureau_official):
    response = client_for(client, bureau_official).get(OVERVIEW)
    assert response.status_code == 200
    overview = response.context["overview"]
    assert {row.label for row in overview.by_subdistrict} == {"望京", "双井"}
    html = response.content.decode()
    assert "各街道/地区结果等级分布" in html and "vendor/echarts/echarts.min.js" in html
    assert 'id="results-data"' in html and "subdistrict-chart" in html
    assert f"{EXPORT}?cycle={world.cycle.pk}" in html


def test_a_subdistrict_official_sees_only_their_own_subdistrict(client, world, wangjing_official, shuangjing):
    client_for(client, wangjing_official)
    response = client.get(OVERVIEW)
    assert [row.label for row in response.context["overview"].by_subdistrict] == ["望京"]
    assert "双井" not in response.content.decode()
    # Asking for another sub-district does not widen the scope.
    response = client.get(f"{OVERVIEW}?subdistrict={shuangjing.pk}")
    assert [row.label for row in response.context["overview"].by_subdistrict] == ["望京"]


def test_directors_and_anonymous_visitors_do_not_get_the_overview_or_the_export(client, world, director_a):
    assert client.get(OVERVIEW).status_code == 302
    assert client.get(EXPORT).status_code == 302
    client_for(client, director_a)
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(EXPORT).status_code == 403


@pytest.mark.parametrize(
    ("persona", "codes"),
    [
        ("bureau_official", ["KGD0001", "KGA0001", "KGB0001", "KGE0001"]),  # 双井 sorts before 望京
        ("wangjing_official", ["KGA0001", "KGB0001", "KGE0001"]),
        ("inspector", ["KGB0001"]),
    ],
)
def test_the_export_holds_one_row_per_published_result_in_scope(client, world, personas, persona, codes):
    client_for(client, personas[persona])
    header, *rows = export_rows(client.get(f"{EXPORT}?cycle={world.cycle.pk}"))
    assert header == (
        "幼儿园编码",
        "幼儿园名称",
        "街道/地区",
        "办园性质",
        "评估周期",
        "评估结果等级",
        "入园评估日期",
        "公布时间",
        "未整改问题",
        "逾期问题",
    )
    assert [row[0] for row in rows] == codes  # sub-district code order, then kindergarten code
    by_code = {row[0]: row for row in rows}
    if "KGB0001" in by_code:
        row = by_code["KGB0001"]
        assert row[1:6] == ("望京花园幼儿园", "望京", "公办", world.cycle.name, "合格")
        assert row[6] is not None and row[7] is not None
        assert row[8:] == (2, 2)
    if "KGE0001" in by_code:
        assert by_code["KGE0001"][3:6] == ("民办", world.cycle.name, "不合格")
    assert "KGC0001" not in by_code  # submitted, not published


def test_the_export_follows_the_subdistrict_filter(client, world, bureau_official, shuangjing):
    client_for(client, bureau_official)
    _header, *rows = export_rows(client.get(f"{EXPORT}?cycle={world.cycle.pk}&subdistrict={shuangjing.pk}"))
    assert [row[0] for row in rows] == ["KGD0001"]


# --- the kindergarten page ----------------------------------------------------------------------


def test_the_kindergarten_page_shows_the_latest_result_and_open_issues(client, world, director_a, kg_a):
    html = client_for(client, director_a).get(kg_a.get_absolute_url()).content.decode()
    assert 'id="quality"' in html and "质量评估" in html
    assert world.cycle.name in html and "优秀" in html
    assert reverse("inspections:evaluation_report_pdf", args=[world.evaluations["A"].pk]) in html
    assert "户外活动时间不足" in html
    assert "午睡室通风记录缺失" not in html  # verified: no longer open
    assert "共 1 项" in html


def test_the_kindergarten_page_flags_overdue_issues_and_shows_no_unpublished_result(
    client, world, bureau_official, kg_b, kg_c
):
    client_for(client, bureau_official)
    html = client.get(kg_b.get_absolute_url()).content.decode()
    assert "其中 2 项已逾期" in html and "已逾期" in html
    html = client.get(kg_c.get_absolute_url()).content.decode()
    assert "尚无已公布的督导评估结果" in html
    assert reverse("inspections:evaluation_report_pdf", args=[world.evaluations["C"].pk]) not in html
    assert "晨检记录不完整" in html


def test_the_kindergarten_page_lists_at_most_five_issues_soonest_deadline_first(client, world, bureau_official):
    kg_f = world.kgs["F"]
    for n in range(7):
        quality_issue(world.cycle, kg_f, description=f"问题{n}", deadline=PAST.replace(day=1) if n == 6 else None)
    html = client_for(client, bureau_official).get(kg_f.get_absolute_url()).content.decode()
    assert "共 7 项" in html and "其中 1 项已逾期" in html
    assert html.count('class="issues"') == 1
    assert html.index("问题6") < html.index("问题0")
    assert "仅列出期限最近的 5 项" in html


# --- query counts -------------------------------------------------------------------------------


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_results(evaluation_cycle, n: int) -> None:
    """n more kindergartens in a further sub-district, each planned, published and with issues."""
    grades = list(ResultGrade.values)
    for index, kindergarten in enumerate(KindergartenFactory.create_batch(n, subdistrict=subdistrict("劲松"))):
        assign(evaluation_cycle, kindergarten)
        evaluation = external_evaluation(
            evaluation_cycle, kindergarten, status=EvaluationStatus.PUBLISHED, grade=grades[index % 4]
        )
        quality_issue(evaluation_cycle, kindergarten, evaluation=evaluation, deadline=PAST)


@pytest.mark.parametrize("url", [OVERVIEW, EXPORT])
def test_the_overview_and_export_cost_a_fixed_number_of_queries(client, world, bureau_official, url):
    client_for(client, bureau_official)
    few = count(client, url)
    add_results(world.cycle, 6)
    assert count(client, url) == few


def test_the_kindergarten_section_costs_a_fixed_number_of_queries(client, world, bureau_official, kg_a):
    client_for(client, bureau_official)
    url = kg_a.get_absolute_url()
    few = count(client, url)
    for _n in range(8):
        quality_issue(world.cycle, kg_a, deadline=PAST)
    older = cycle(start_year=world.cycle.start_year - 3, by=bureau_official)
    external_evaluation(older, kg_a, status=EvaluationStatus.PUBLISHED, grade=ResultGrade.GOOD)
    assert count(client, url) == few


def test_an_inspector_sees_the_overview_for_the_assigned_kindergartens_only(client, world, inspector):
    response = client_for(client, inspector).get(OVERVIEW)
    assert response.status_code == 200
    assert response.context["overview"].total.evaluated == 1


def test_the_overview_without_any_cycle_says_so(client, db):
    user = UserFactory(role=Role.BUREAU_OFFICIAL)
    html = client_for(client, user).get(OVERVIEW).content.decode()
    assert "还没有评估周期" in html


# --- from the access-control and input-validation review: a parameter that is not a number is ignored, never a 500 ---

SUPERSCRIPT_TWO = "²"  # "²".isdigit() is True, int("²") raises ValueError


@pytest.mark.parametrize("name", ["inspections:results_overview", "inspections:results_export"])
@pytest.mark.parametrize("parameter", ["cycle", "subdistrict"])
def test_the_results_pages_ignore_a_parameter_that_is_not_a_number(client, bureau_official, kg_a, name, parameter):
    cycle(version=handbook())  # a cycle and a sub-district to compare the parameter with
    response = client_for(client, bureau_official).get(reverse(name), {parameter: SUPERSCRIPT_TWO})
    assert response.status_code == 200
