"""The residential-estate kindergartens board: stage and gap history, the booleans kept in step,
the private flag, agreements expiring, scoping, the export, the API and the indicator.

Hand-made data (TODAY = 2025-11-15):

| kg | sub-district | sponsor | stage (since) | gaps | agreement |
|---|---|---|---|---|---|
| A | 望京 | bureau | construction (2025-03-01) | planning 2024-11-15 → open (365 d), owner planning authority; construction 2025-06-01 → 2025-09-01 resolved | — |
| B | 望京 | private non-profit | in use | handover 2025-10-16 open (30 d), owner developer | 2026-03-01 (106 d: expiring) |
| C | 双井 | bureau | handover | use gap opened 2025-11-20 (after D: not counted on D) | 2025-10-01 (expired) |
"""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kindergartens import estates
from kindergartens.choices import EstateOwner, EstateStage, InclusiveStatus, SponsorType
from kindergartens.estates import estate_gap_open, estate_gap_resolve, estate_stage_move
from kindergartens.indicators import ESTATE_NOT_IN_PLACE
from kindergartens.models import EstateGap, Kindergarten
from reports.choices import ScopeType
from reports.indicators import compute_indicators_for
from tests.conftest import client_for
from tests.factories import KindergartenFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 11, 15)
BOARD = reverse("kindergartens:estate_board")
EXPORT = reverse("kindergartens:estate_export")
API = "/api/estate-kindergartens/"


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr(estates.timezone, "localdate", lambda *a, **k: TODAY)
    monkeypatch.setattr("kindergartens.filtersets.timezone.localdate", lambda *a, **k: TODAY)
    monkeypatch.setattr("kindergartens.api.serializers.timezone.localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def board(kg_a, kg_b, kg_c, bureau_official, frozen_today):
    for kg, stage in ((kg_a, EstateStage.PLANNING), (kg_b, EstateStage.IN_USE), (kg_c, EstateStage.HANDOVER)):
        kg.is_estate_kindergarten = True
        kg.estate_name = f"{kg.name}小区"
        kg.estate_stage = stage
    kg_b.sponsor_type = SponsorType.PRIVATE_NONPROFIT
    kg_b.inclusive_status = InclusiveStatus.INCLUSIVE_PRIVATE
    kg_b.recognition_date = d("2023-09-01")
    kg_b.entrusted_management_expiry = d("2026-03-01")
    kg_c.entrusted_management_expiry = d("2025-10-01")
    for kg in (kg_a, kg_b, kg_c):
        kg.save()
    user = bureau_official
    estate_stage_move(kindergarten=kg_a, stage=EstateStage.PLANNING, date=d("2024-01-10"), user=user)
    estate_stage_move(kindergarten=kg_a, stage=EstateStage.CONSTRUCTION, date=d("2025-03-01"), user=user)
    estate_gap_open(
        kindergarten=kg_a, kind="planning", since=d("2024-11-15"), owner=EstateOwner.PLANNING_AUTHORITY, user=user
    )
    done = estate_gap_open(
        kindergarten=kg_a, kind="construction", since=d("2025-06-01"), owner=EstateOwner.DEVELOPER, user=user
    )
    estate_gap_resolve(gap=done, resolved_on=d("2025-09-01"), user=user)
    estate_gap_open(kindergarten=kg_b, kind="handover", since=d("2025-10-16"), owner=EstateOwner.DEVELOPER, user=user)
    estate_gap_open(kindergarten=kg_c, kind="use", since=d("2025-11-20"), owner=EstateOwner.SUBDISTRICT, user=user)
    return {"A": kg_a, "B": kg_b, "C": kg_c}


def fresh(kg: Kindergarten) -> Kindergarten:
    return Kindergarten.objects.get(pk=kg.pk)


def test_it_keeps_the_registry_booleans_in_step_with_the_gaps(board, bureau_official):
    a = fresh(board["A"])
    assert (a.estate_planning_gap, a.estate_construction_gap) == (True, False)
    assert a.estate_stage == EstateStage.CONSTRUCTION
    gap = EstateGap.objects.get(kindergarten=a, kind="planning")
    estate_gap_resolve(gap=gap, resolved_on=d("2025-11-01"), user=bureau_official)
    assert fresh(a).estate_planning_gap is False
    assert fresh(a).history.first().history_user == bureau_official


def test_it_refuses_a_second_open_gap_of_a_kind_and_a_backward_stage(board, bureau_official):
    with pytest.raises(ValidationError):
        estate_gap_open(
            kindergarten=board["A"], kind="planning", since=TODAY, owner=EstateOwner.DEVELOPER, user=bureau_official
        )
    with pytest.raises(ValidationError):
        estate_stage_move(kindergarten=board["A"], stage=EstateStage.PLANNING, date=TODAY, user=bureau_official)
    with pytest.raises(ValidationError):
        estate_stage_move(
            kindergarten=board["A"], stage=EstateStage.HANDOVER, date=d("2025-01-01"), user=bureau_official
        )
    gap = EstateGap.objects.get(kindergarten=board["B"])
    with pytest.raises(ValidationError):
        estate_gap_resolve(gap=gap, resolved_on=d("2025-01-01"), user=bureau_official)
    assert fresh(board["B"]).estate_handover_gap is True


def test_it_leaves_the_writes_to_the_bureau(board, wangjing_official, director_a):
    for user in (wangjing_official, director_a):
        with pytest.raises(PermissionDenied):
            estate_gap_open(kindergarten=board["A"], kind="use", since=TODAY, owner=EstateOwner.DEVELOPER, user=user)
    assert not EstateGap.objects.filter(kind="use", kindergarten=board["A"]).exists()


def test_it_counts_how_long_each_gap_has_lasted(board, bureau_official):
    assert not estates.estate_board(None).exists()
    rows = {r.kindergarten.code: r for r in estates.board_rows(estates.estate_board(bureau_official), TODAY)}
    a, b = rows["KGA0001"], rows["KGB0001"]
    assert [(g.kind, days) for g, days in a.gaps] == [("planning", 365)]
    assert a.kindergarten.stage_since == d("2025-03-01")
    assert [(g.kind, days) for g, days in b.gaps] == [("handover", 30)]
    assert (a.agreement_state, b.agreement_state, rows["KGC0001"].agreement_state) == ("", "expiring", "expired")
    assert (a.kindergarten.is_private, b.kindergarten.is_private) == (False, True)


def test_it_shows_the_board_with_days_flags_and_owner(client, board, bureau_official):
    html = client_for(client, bureau_official).get(BOARD).content.decode()
    assert "365" in html and "规划和自然资源部门" in html
    assert "民办配套园" in html and "已到期" in html and "180 天内到期" in html
    assert "自 2025-03-01" in html


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("estate_stage=in_use", {"KGB0001"}),
        ("gap=planning", {"KGA0001"}),
        ("gap=construction", set()),  # resolved: no longer open
        ("owner=developer", {"KGB0001"}),
        ("private=true", {"KGB0001"}),
        ("agreement_expiring=true", {"KGB0001", "KGC0001"}),
        ("", {"KGA0001", "KGB0001", "KGC0001"}),
    ],
)
def test_it_filters_the_board_and_the_api_alike(client, api_client, board, bureau_official, query, codes):
    page = client_for(client, bureau_official).get(f"{BOARD}?{query}")
    assert {r.kindergarten.code for r in page.context["rows"]} == codes
    api_client.force_authenticate(bureau_official)
    assert {r["code"] for r in api_client.get(f"{API}?{query}").json()["results"]} == codes


def test_it_shows_an_official_only_their_subdistrict(client, api_client, board, wangjing_official):
    page = client_for(client, wangjing_official).get(BOARD)
    assert {r.kindergarten.code for r in page.context["rows"]} == {"KGA0001", "KGB0001"}
    api_client.force_authenticate(wangjing_official)
    assert {r["code"] for r in api_client.get(API).json()["results"]} == {"KGA0001", "KGB0001"}
    assert api_client.get(f"{API}{board['C'].pk}/").status_code == 404
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(EXPORT).content))
    codes = {row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)}
    assert codes == {"KGA0001", "KGB0001"}


def test_it_keeps_the_board_from_directors(client, board, director_a):
    assert client_for(client, director_a).get(BOARD).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_it_exports_the_filtered_board(client, board, bureau_official):
    response = client_for(client, bureau_official).get(f"{EXPORT}?private=true")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 1
    row = rows[0]
    assert row["幼儿园编码"] == "KGB0001"
    assert row["民办配套园（应为公办）"] == "是"
    assert row["最长持续天数"] == 30
    assert "移交不到位" in row["不到位情况"] and "建设单位/开发商" in row["不到位情况"]
    assert row["协议状态"] == "180 天内到期"


def test_it_computes_the_indicator_on_the_date(board):
    values = compute_indicators_for(TODAY)
    found = {(v.scope_type, v.scope_key): v for v in values if v.indicator == ESTATE_NOT_IN_PLACE}
    wangjing, shuangjing = board["A"].subdistrict.code, board["C"].subdistrict.code
    assert found[(ScopeType.DISTRICT, "district")].numerator == 2  # A and B; C's gap starts after D
    assert found[(ScopeType.SUBDISTRICT, wangjing)].numerator == 2
    assert found[(ScopeType.SUBDISTRICT, shuangjing)].numerator == 0
    assert found[(ScopeType.OWNERSHIP, SponsorType.PRIVATE_NONPROFIT)].numerator == 1
    assert found[(ScopeType.OWNERSHIP, SponsorType.EDUCATION_BUREAU)].numerator == 1
    # A past date counts what was open then: on 2025-07-01 A had two gaps (one kindergarten), B none.
    past = [v for v in compute_indicators_for(d("2025-07-01")) if v.indicator == ESTATE_NOT_IN_PLACE]
    assert {v.scope_key: v.numerator for v in past if v.scope_type == ScopeType.DISTRICT} == {"district": 1}


def test_it_shows_the_dashboard_panel(client, board, bureau_official):
    html = (
        client_for(client, bureau_official).get(reverse("reports:dashboard_panel", args=["estates"])).content.decode()
    )
    assert "持续最久的不到位问题" in html
    assert html.index("望京第一幼儿园") < html.index("望京花园幼儿园")  # 365 days before 30


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_keeps_the_boards_query_count_flat(client, board, bureau_official, wangjing):
    client_for(client, bureau_official)
    before = count_queries(client, BOARD)
    for n in range(30):
        kg = KindergartenFactory(
            subdistrict=wangjing, is_estate_kindergarten=True, estate_stage=EstateStage.HANDOVER, code=f"EST{n:04d}"
        )
        estate_gap_open(
            kindergarten=kg, kind="handover", since=d("2025-01-01"), owner="developer", user=bureau_official
        )
        estate_stage_move(kindergarten=kg, stage=EstateStage.HANDOVER, date=d("2024-01-01"), user=bureau_official)
    assert count_queries(client, BOARD) == before
    assert count_queries(client, f"{BOARD}?page=2&owner=developer") == before


def detail(kg: Kindergarten) -> str:
    return reverse("kindergartens:estate_detail", args=[kg.pk])


def test_it_lets_the_bureau_open_resolve_and_move_on_the_page(client, board, bureau_official):
    client_for(client, bureau_official)
    url = detail(board["C"])
    response = client.post(
        url, {"action": "open", "open-kind": "handover", "open-since": "2025-01-01", "open-owner": "developer"}
    )
    assert response.status_code == 302
    assert fresh(board["C"]).estate_handover_gap is True
    gap = EstateGap.objects.get(kindergarten=board["C"], kind="handover")
    client.post(url, {"action": "resolve", "resolve-gap": gap.pk, "resolve-resolved_on": "2025-06-30"})
    assert fresh(board["C"]).estate_handover_gap is False
    client.post(url, {"action": "stage", "stage-stage": "in_use", "stage-date": "2025-10-01"})
    assert fresh(board["C"]).estate_stage == EstateStage.IN_USE
    page = client.get(url).content.decode()
    assert "2025-01-01 – 2025-06-30" in page


def test_it_shows_the_services_refusal_on_the_form(client, board, bureau_official):
    client_for(client, bureau_official)
    response = client.post(
        detail(board["A"]),
        {"action": "open", "open-kind": "planning", "open-since": "2025-01-01", "open-owner": "developer"},
    )
    assert response.status_code == 200
    assert "不能重复登记" in response.content.decode()
    assert EstateGap.objects.filter(kindergarten=board["A"], kind="planning").count() == 1


def test_it_lets_an_official_read_but_not_write_and_hides_other_areas(client, board, wangjing_official):
    client_for(client, wangjing_official)
    page = client.get(detail(board["A"]))
    assert page.status_code == 200 and "登记不到位问题" not in page.content.decode()
    data = {"action": "open", "open-kind": "use", "open-since": "2025-01-01", "open-owner": "developer"}
    assert client.post(detail(board["A"]), data).status_code == 403
    assert client.get(detail(board["C"])).status_code == 404
    assert not EstateGap.objects.filter(kind="use", kindergarten=board["A"]).exists()
