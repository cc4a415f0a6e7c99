"""The public pages (/public/) as the inspections app first served them: no login, only published
results and public facts (the URLs and these promises still hold)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kindergartens.choices import LicenceStatus
from tests.factories import KindergartenFactory, subdistrict
from tests.inspections.factories import FINDINGS, SUMMARY_A, cycle, external_evaluation, results_world

pytestmark = pytest.mark.django_db

INDEX = reverse("public:index")


@pytest.fixture
def world(kg_a, kg_b, kg_c, bureau_official):
    kg_a.principal = "张园长"
    kg_a.phone = "010-64701234"
    kg_a.save()
    return results_world(kg_a, kg_b, kg_c, by=bureau_official)


def detail(code: str) -> str:
    return reverse("public:kindergarten_detail", args=[code])


def test_the_public_url_is_public():
    assert INDEX == "/public/"
    assert detail("KGA0001") == "/public/kindergartens/KGA0001/"


def test_the_index_needs_no_login_and_shows_latest_published_grades(client, world):
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    grades = {kg.code: kg.latest_grade for kg in response.context["kindergartens"]}
    assert grades == {
        "KGA0001": "excellent",
        "KGB0001": "qualified",
        "KGC0001": None,  # submitted only: not a result
        "KGD0001": "good",
        "KGE0001": "unqualified",
        "KGF0001": None,
    }
    assert "优秀" in html and "暂无公布结果" in html
    assert "工作人员登录" in html
    assert "退出" not in html and 'class="mainnav"' not in html  # not the staff navigation


def test_the_detail_page_shows_public_facts_and_published_results_only(client, world):
    response = client.get(detail("KGA0001"))
    assert response.status_code == 200
    html = response.content.decode()
    for expected in (
        "望京第一幼儿园",
        "望京",
        "010-64701234",
        "公办",
        "已取得办园许可",
        "优秀",
        world.cycle.name,
        SUMMARY_A,
    ):
        assert expected in html, expected
    # Never issue details, ratings or findings, people or attachments.
    for hidden in ("户外活动时间不足", "午睡室通风记录缺失", FINDINGS, "张园长", "report.pdf", "attachments"):
        assert hidden not in html, hidden


def test_an_unpublished_evaluation_never_shows(client, world):
    html = client.get(detail("KGC0001")).content.decode()
    assert "该园暂无已公布的督导评估结果" in html
    assert "良好" not in html
    assert "晨检记录不完整" not in html


@pytest.mark.parametrize("status", [LicenceStatus.CLOSED, LicenceStatus.UNLICENSED])
def test_closed_and_unlicensed_kindergartens_have_no_public_page(client, world, status):
    KindergartenFactory(code="KGZ0001", name="已撤销幼儿园", licence_status=status)
    assert client.get(detail("KGZ0001")).status_code == 404
    assert "已撤销幼儿园" not in client.get(INDEX).content.decode()
    assert client.get(detail("NOPE0001")).status_code == 404


def test_it_searches_by_name_and_filters_by_subdistrict(client, world, shuangjing, wangjing):
    codes = lambda query: [kg.code for kg in client.get(f"{INDEX}?{query}").context["kindergartens"]]  # noqa: E731
    assert codes("q=阳光") == ["KGC0001"]
    assert set(codes(f"subdistrict={shuangjing.pk}")) == {"KGC0001", "KGD0001", "KGF0001"}
    assert set(codes(f"subdistrict={wangjing.pk}&q=望京")) == {"KGA0001", "KGB0001", "KGE0001"}
    assert codes("q=不存在") == []
    # Junk input is harmless: an unknown sub-district means all of them, a long search is cut.
    assert len(codes("subdistrict=abc")) == 6
    assert codes("q=" + "x" * 500) == []


def test_it_paginates_and_keeps_the_filters_in_the_page_links(client, world, wangjing):
    KindergartenFactory.create_batch(20, subdistrict=wangjing)
    response = client.get(f"{INDEX}?subdistrict={wangjing.pk}")
    assert response.context["paginator"].count == 23 and len(response.context["kindergartens"]) == 20
    assert f"subdistrict={wangjing.pk}&amp;page=2" in response.content.decode()
    assert len(client.get(f"{INDEX}?subdistrict={wangjing.pk}&page=2").context["kindergartens"]) == 3


def count(client, url: str) -> int:
    cache.clear()  # the answer is cached: count what computing it costs
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_public_pages_cost_a_fixed_number_of_queries(client, world, bureau_official):
    few = (count(client, INDEX), count(client, detail("KGA0001")))
    for kindergarten in KindergartenFactory.create_batch(8, subdistrict=subdistrict("劲松")):
        external_evaluation(world.cycle, kindergarten, status="published")
    older = cycle(start_year=world.cycle.start_year - 3, by=bureau_official)
    external_evaluation(older, world.kgs["A"], status="published")  # a second result on the detail page
    assert (count(client, INDEX), count(client, detail("KGA0001"))) == few
