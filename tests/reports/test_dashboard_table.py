"""The district dashboard's sub-district table at any number of sub-districts (issue 13 item 5).

The ranking is done in SQL and only a page of rows is built: these tests check that the page still
shows what a user relies on — the sub-districts short of a target first, the `?sort=` order across
pages, the links, the chart's worst and best bars — and that the number of queries does not grow
with the number of sub-districts.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.scoping import SYSTEM
from enrollment.choices import EnrollmentIndicator
from kindergartens.choices import SubdistrictKind
from kindergartens.models import Subdistrict
from reports.choices import ScopeType
from reports.dashboard import build_dashboard
from reports.models import IndicatorSnapshot
from reports.ranking import CHART_BEST, CHART_WORST, PAGE_SIZE, sort_rows, subdistrict_page
from reports.standings import write_standings
from tests.conftest import client_for

from .test_dashboard import chart_data

TODAY = datetime.date(2025, 11, 28)
# Whether `district` also stores the ranking as the nightly job does (reports.standings).
STORED = False
DASHBOARD = "/dashboard/"
GROSS, INCLUSIVE, PUBLIC = (
    EnrollmentIndicator.GROSS_ENROLLMENT_RATE,
    EnrollmentIndicator.INCLUSIVE_COVERAGE,
    EnrollmentIndicator.PUBLIC_SHARE,
)


def snapshot(sub: Subdistrict | None, indicator: str, numerator: int, denominator: int, **stored) -> IndicatorSnapshot:
    value = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.000001")) if denominator else None
    return IndicatorSnapshot(
        date=TODAY,
        scope_type=ScopeType.DISTRICT if sub is None else ScopeType.SUBDISTRICT,
        scope_key="district" if sub is None else sub.code,
        subdistrict=sub,
        indicator=indicator,
        numerator=numerator,
        denominator=denominator,
        value=value,
        **stored,
    )


def district(count: int) -> list[Subdistrict]:
    """`count` sub-districts (the 43 seeded ones, then generated ones) with their three figures.

    Every 7th misses the enrolment target (gross 80–86 % of 90 %), every 11th has a stored verdict
    that misses Chaoyang's inclusive target; the others meet all three, by varying margins.
    """
    subs = list(Subdistrict.objects.order_by("code"))
    for i in range(len(subs), count):
        subs.append(Subdistrict.objects.create(code=f"9{i:08d}", name=f"测试街道{i:05d}", kind=SubdistrictKind.STREET))
    subs = subs[:count]
    rows = [
        snapshot(None, GROSS, 95, 100),
        snapshot(None, INCLUSIVE, 92, 100),
        snapshot(None, PUBLIC, 60, 100),
    ]
    for i, sub in enumerate(subs):
        gross = 800 + i % 7 * 10 if i % 7 == 0 else 900 + (i * 37) % 300
        rows.append(snapshot(sub, GROSS, gross, 1000))
        if i % 11 == 0:  # the computation stored Chaoyang's target and its verdict
            rows.append(snapshot(sub, INCLUSIVE, 850, 1000, target=Decimal("0.9"), met=False))
        else:
            rows.append(snapshot(sub, INCLUSIVE, 900 + (i * 13) % 100, 1000))
        rows.append(snapshot(sub, PUBLIC, 500 + (i * 29) % 200, 1000))
    IndicatorSnapshot.objects.bulk_create(rows)
    store()
    return subs


def store() -> None:
    if STORED:
        write_standings(TODAY)


@pytest.fixture(autouse=True, params=["from-snapshots", "stored"])
def ranking_source(request, monkeypatch):
    """Each test twice: the ranking read from the snapshots (a date computed before the stored
    ranking existed) and the one the nightly job stores."""
    monkeypatch.setattr(f"{__name__}.STORED", request.param == "stored")
    return request.param


def table(client, query: str = "") -> tuple[list[str], object]:
    response = client.get(DASHBOARD + query)
    assert response.status_code == 200
    return [row.name for row in response.context["board"].rows], response


def every_row_in_order(sort: str) -> list[str]:
    """The whole table, built in Python from every row (the PDF's rows) and sorted like the page."""
    board = build_dashboard(user=SYSTEM)
    return [row.name for row in sort_rows(board.rows, board.headline, sort)[0]]


@pytest.fixture
def large(db):
    return district(PAGE_SIZE + 23)  # two pages


def test_the_first_page_shows_every_subdistrict_short_of_a_target_first(client, bureau_official, large):
    board = build_dashboard(user=SYSTEM)
    short = {row.name for row in board.rows if row.short}
    assert 5 < len(short) < PAGE_SIZE
    names, response = table(client_for(client, bureau_official))
    assert len(names) == PAGE_SIZE
    assert set(names[: len(short)]) == short  # furthest below a target first
    html = response.content.decode()
    assert f"{len(short)} 个街道/地区有未达标项" in html
    assert "共 73 条" in html and "第 1 / 2 页" in html
    # Only the short ones, on one page.
    names, _ = table(client, "?short=1")
    assert set(names) == short


@pytest.mark.parametrize("sort", ["", "name", "-name", "code", "-code", GROSS, f"-{GROSS}", INCLUSIVE, f"-{PUBLIC}"])
def test_the_pages_follow_the_sort_like_the_whole_table(client, bureau_official, large, sort):
    client_for(client, bureau_official)
    expected = every_row_in_order(sort)
    first, response = table(client, f"?sort={sort}")
    second, _ = table(client, f"?sort={sort}&page=2")
    assert first + second == expected
    if sort:
        # The pager keeps the sort (and the date).
        assert f"sort={sort}&amp;page=2" in response.content.decode()


def test_a_page_out_of_range_shows_the_last_one(client, bureau_official, large):
    client_for(client, bureau_official)
    assert table(client, "?page=99")[0] == table(client, "?page=2")[0]
    assert table(client, "?page=abc")[0] == table(client, "?page=1")[0]


def test_each_row_links_to_its_dashboard_and_its_kindergartens(client, bureau_official, large):
    names, response = table(client_for(client, bureau_official), "?sort=code&page=2")
    html = response.content.decode()
    for sub in Subdistrict.objects.filter(name__in=names):
        dashboard = reverse("reports:subdistrict_dashboard", args=[sub.pk])
        assert f'<a href="{dashboard}?date={TODAY.isoformat()}">{sub.name}</a>' in html
        assert f'href="{reverse("kindergartens:subdistrict_detail", args=[sub.pk])}"' in html
    # Rows of the other page are not rendered.
    first = Subdistrict.objects.order_by("code").first()
    assert f"{reverse('reports:subdistrict_dashboard', args=[first.pk])}?date" not in html.split("subdistrict-table")[1]


def test_the_chart_draws_the_worst_and_the_best_with_a_note(client, bureau_official, large):
    client_for(client, bureau_official)
    response = client.get(DASHBOARD)
    data = chart_data(response)["subdistricts"]
    picks = data["picks"][GROSS]
    assert len(picks["worst"]) == CHART_WORST and len(picks["best"]) == CHART_BEST
    order = every_row_in_order(GROSS)
    assert [data["names"][i] for i in picks["worst"]] == order[:CHART_WORST]
    assert [data["names"][i] for i in picks["best"]] == order[-CHART_BEST:]
    # The red bars are the stored verdicts of those rows.
    board = build_dashboard(user=SYSTEM)
    short = {row.name: row.figures[0].short for row in board.rows}
    assert [data["short"][GROSS][i] for i in picks["worst"]] == [short[n] for n in order[:CHART_WORST]]
    assert "共 73 个街道/地区，图中为距目标最远的 40 个和最好的 10 个" in response.content.decode()


def test_up_to_fifty_subdistricts_the_chart_and_the_table_show_them_all(client, bureau_official, db):
    district(43)
    names, response = table(client_for(client, bureau_official))
    assert len(names) == 43
    data = chart_data(response)["subdistricts"]
    assert len(data["picks"][GROSS]["worst"]) == 43 and data["picks"][GROSS]["best"] == []
    html = response.content.decode()
    assert "图中为距目标最远的" not in html and 'class="pager"' not in html


def test_the_page_is_built_from_the_database_ranking_not_every_row(bureau_official, large, ranking_source):
    board = build_dashboard(user=bureau_official, all_rows=False)
    assert board.rows == [] and board.row_count == 73
    assert board.stored_ranking == (ranking_source == "stored")
    page, sort = subdistrict_page(board, bureau_official, sort="", page=2)
    assert sort == "worst" and len(page.object_list) == 73 - PAGE_SIZE


def query_count(client, query: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD + query).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_subdistricts(client, bureau_official, db):
    client_for(client, bureau_official)
    district(10)
    few = [query_count(client, q) for q in ("", "?sort=name&page=1", f"?sort=-{GROSS}&short=1")]
    IndicatorSnapshot.objects.all().delete()
    district(PAGE_SIZE * 2 + 5)
    many = [query_count(client, q) for q in ("", "?sort=name&page=3", f"?sort=-{GROSS}&short=1")]
    assert many == few


@pytest.mark.django_db
def test_the_lowest_completeness_list_ranks_by_the_share_not_the_name():
    """More sub-districts missing reports than the list shows: the lowest shares come first (an
    integer division in SQL once made every share 0 and picked the candidates by name)."""
    subs = district(12)
    # The first sub-districts by name are nearly complete; the last ones have reported least.
    for i, sub in enumerate(subs):
        IndicatorSnapshot.objects.filter(date=TODAY, subdistrict=sub).update(
            reports_expected=20, reports_received=19 - i, seats_expected=2000, seats_reported=1900, provisional=True
        )
    store()
    board = build_dashboard(user=SYSTEM, date=TODAY)
    shown = [a.pk for a in board.attention["completeness"]]
    assert shown == [sub.pk for sub in reversed(subs)][:5]
