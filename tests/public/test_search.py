"""The parents' search and disclosure pages and the public JSON endpoint (/public/)."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.choices import FeeItemKind
from governance.models import FeeFiling, FeeItem
from inspections.choices import EvaluationStatus, ResultGrade
from kindergartens.choices import InclusiveStatus, LicenceStatus, SponsorType
from public import disclosure
from tests.factories import KindergartenFactory, subdistrict
from tests.inspections.factories import cycle, external_evaluation

pytestmark = pytest.mark.django_db

INDEX = reverse("public:index")
API = reverse("public:api_kindergartens")
SECRET_SUMMARY = "内部草稿评语不得公开"
PERSONAL = ("张园长", "13800138000", SECRET_SUMMARY, "已撤销的幼儿园", "无证看护点")
PERSONAL_KEYS = {"principal", "staff", "children", "filed_by", "account_number", "bank", "id"}


def kg(code, name, lat, lon, *, sub="望京", address="", **fields):
    return KindergartenFactory(
        code=code,
        name=name,
        subdistrict=subdistrict(sub),
        address=address or f"北京市朝阳区{name}路1号",
        latitude=Decimal(str(lat)),
        longitude=Decimal(str(lon)),
        **fields,
    )


def file_fees(kindergarten, care: str, year: int = 2025, **others):
    filing = FeeFiling.objects.create(kindergarten=kindergarten, school_year=year, grade="first")
    FeeItem.objects.create(filing=filing, item=FeeItemKind.CARE_EDUCATION, monthly_amount=Decimal(care))
    for item, amount in others.items():
        FeeItem.objects.create(filing=filing, item=item, monthly_amount=Decimal(amount))
    return filing


INCLUSIVE = {
    "sponsor_type": SponsorType.PRIVATE_NONPROFIT,
    "inclusive_status": InclusiveStatus.INCLUSIVE_PRIVATE,
    "recognition_date": datetime.date(2022, 9, 1),
}


@pytest.fixture
def world(bureau_official):
    """Five kindergartens on hand-made coordinates (0.01° of latitude ≈ 1.11 km), one closed, one unlicensed."""
    kgs = {
        "N1": kg(
            "PUB00001",
            "望京一幼",
            40.000,
            116.470,
            address="北京市朝阳区望京西路10号",
            has_toddler_classes=True,
            principal="张园长",
            phone="010-64701234",
        ),
        "N2": kg(
            "INC00002", "望京启航幼儿园", 40.010, 116.470, address="望京西路20号", has_toddler_classes=True, **INCLUSIVE
        ),
        "N3": kg("INC00003", "望京小树幼儿园", 40.001, 116.471, address="望京南湖路3号", **INCLUSIVE),
        "N4": kg(
            "PRV00004",
            "望京国际幼儿园",
            40.002,
            116.470,
            address="望京北路8号",
            has_toddler_classes=True,
            sponsor_type=SponsorType.PRIVATE_FORPROFIT,
            inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
            approved_capacity=120,
        ),
        "N5": kg("PUB00005", "双井一幼", 39.890, 116.460, sub="双井", address="广渠路5号"),
    }
    kg("CLS00006", "已撤销的幼儿园", 40.000, 116.470, licence_status=LicenceStatus.CLOSED)
    kg("UNL00007", "无证看护点", 40.000, 116.470, licence_status=LicenceStatus.UNLICENSED)
    file_fees(kgs["N1"], "750", meals="400")
    file_fees(kgs["N2"], "900", year=2024)
    file_fees(kgs["N2"], "1200", meals="500")
    file_fees(kgs["N4"], "5000")
    evaluation_cycle = cycle(by=bureau_official)
    external_evaluation(evaluation_cycle, kgs["N1"], status=EvaluationStatus.PUBLISHED, grade=ResultGrade.EXCELLENT)
    draft = external_evaluation(evaluation_cycle, kgs["N2"], status=EvaluationStatus.SUBMITTED, grade=ResultGrade.GOOD)
    draft.summary = SECRET_SUMMARY
    draft.save()
    return kgs


def api(client, query: str = "") -> dict:
    response = client.get(f"{API}?{query}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def codes(client, query: str = "") -> list[str]:
    return [row["code"] for row in api(client, query)["results"]]


def all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in all_keys(v)}
    return set()


def test_it_outputs_exactly_the_documented_fields_and_nothing_personal_or_unpublished(client, world):
    listing = api(client)
    assert set(listing) == {"count", "page", "pages", "next", "previous", "origin", "address_unmatched", "results"}
    assert sorted(codes(client)) == ["INC00002", "INC00003", "PRV00004", "PUB00001", "PUB00005"]
    for row in listing["results"]:
        assert tuple(row) == disclosure.LIST_KEYS
    for code in ("PUB00001", "INC00002"):
        detail = client.get(reverse("public:api_kindergarten", args=[code])).json()
        assert tuple(detail) == disclosure.DETAIL_KEYS
        for result in detail["evaluations"]:
            assert tuple(result) == disclosure.EVALUATION_KEYS
        assert tuple(detail["fees"]) == disclosure.FEE_KEYS
        assert detail["credit"] is None or tuple(detail["credit"]) == disclosure.CREDIT_KEYS
        assert tuple(detail["fees"]["senior_year_care_fee"]) == disclosure.SENIOR_KEYS
        for item in detail["fees"]["items"]:
            assert tuple(item) == disclosure.FEE_ITEM_KEYS
        assert not all_keys(detail) & PERSONAL_KEYS
    pages = [client.get(INDEX).content.decode(), client.get(API).content.decode()]
    for code in ("PUB00001", "INC00002", "PRV00004"):
        pages.append(client.get(reverse("public:kindergarten_detail", args=[code])).content.decode())
        pages.append(client.get(reverse("public:api_kindergarten", args=[code])).content.decode())
    for page in pages:
        for hidden in PERSONAL:
            assert hidden not in page, hidden
    for code in ("CLS00006", "UNL00007"):
        assert client.get(reverse("public:kindergarten_detail", args=[code])).status_code == 404
        assert client.get(reverse("public:api_kindergarten", args=[code])).status_code == 404


def test_it_shows_the_disclosure_list_with_the_latest_filing_and_published_results_only(client, world):
    public = client.get(reverse("public:api_kindergarten", args=["PUB00001"])).json()
    assert public["type"] == "public" and public["licence_status"] == "已取得办园许可"
    assert public["phone"] == "010-64701234" and public["recognition"] is None
    assert [r["grade"] for r in public["evaluations"]] == ["excellent"]
    # The final-year waiver (in force from 2025): a public kindergarten's senior year costs nothing.
    assert public["fees"]["senior_year_care_fee"] == {"filed": "750.00", "deduction": "750.00", "effective": "0.00"}
    assert [i["item"] for i in public["fees"]["items"]] == ["care_education", "meals"]
    inclusive = client.get(reverse("public:api_kindergarten", args=["INC00002"])).json()
    assert inclusive["fees"]["school_year"] == "2025-2026" and inclusive["care_fee_monthly"] == "1200.00"
    assert inclusive["evaluations"] == [] and inclusive["latest_grade"] is None  # submitted, not published
    assert inclusive["recognition"] == {"recognised_on": "2022-09-01", "valid_until": None}
    html = client.get(reverse("public:kindergarten_detail", args=["INC00002"])).content.decode()
    assert "普惠性民办园" in html and "1200.00 元/月" in html and "该园暂无已公布的督导评估结果" in html
    assert "实收" in html  # the private kindergarten's senior-year deduction is shown
    assert client.get(reverse("public:kindergarten_detail", args=["PRV00004"])).context["d"]["fees"]["items"]


def test_it_filters_by_subdistrict_type_fee_toddler_class_and_seats(client, world):
    shuangjing = subdistrict("双井")
    assert codes(client, f"subdistrict={shuangjing.pk}") == ["PUB00005"]
    assert set(codes(client, "type=public")) == {"PUB00001", "PUB00005"}
    assert set(codes(client, "type=inclusive")) == {"INC00002", "INC00003"}
    assert codes(client, "type=private") == ["PRV00004"]
    assert codes(client, "type=inclusive&toddler=1") == ["INC00002"]
    assert set(codes(client, "fee_max=1200")) == {"PUB00001", "INC00002"}  # without a filing: no fee to compare
    assert "PRV00004" not in codes(client, "seats_min=200")
    assert len(codes(client, "type=bogus&fee_max=abc&seats_min=-3")) == 5  # bad values are ignored


def test_it_counts_an_expired_recognition_as_other_private(client, world):
    world["N3"].recognition_expiry = datetime.date(2023, 9, 1)
    world["N3"].save()
    assert codes(client, "type=inclusive") == ["INC00002"]
    assert "INC00003" in codes(client, "type=private")


def test_it_sorts_by_distance_from_a_typed_address(client, world):
    # The registry has 望京西路10号, not the building: the typed text is shortened until it matches.
    listing = api(client, "address=北京市朝阳区 望京西路10号院3号楼")
    rows = listing["results"]
    assert [r["code"] for r in rows] == ["PUB00001", "INC00003", "PRV00004", "INC00002", "PUB00005"]
    assert rows[0]["distance_km"] == 0.0
    assert rows[3]["distance_km"] == pytest.approx(1.11, abs=0.01)
    assert rows[4]["distance_km"] == pytest.approx(12.25, abs=0.05)
    assert listing["origin"]["latitude"] == pytest.approx(40.0)
    html = client.get(INDEX, {"address": "望京西路10号", "type": "inclusive", "toddler": "1"}).content.decode()
    assert "1.1 km" in html and "望京启航幼儿园" in html and "望京小树幼儿园" not in html


def test_it_starts_from_a_subdistrict_a_map_point_or_says_it_found_nothing(client, world):
    assert codes(client, "address=双井街道")[0] == "PUB00005"
    assert codes(client, "lat=40.0105&lng=116.4701")[0] == "INC00002"
    unmatched = api(client, "address=火星基地")
    assert unmatched["address_unmatched"] is True and unmatched["origin"] is None
    assert all(r["distance_km"] is None for r in unmatched["results"])
    assert "没有找到" in client.get(INDEX, {"address": "火星基地"}).content.decode()


def test_it_limits_each_client_and_answers_429_with_a_message(client, world, settings):
    settings.PUBLIC_RATE_LIMIT = 3
    settings.PUBLIC_RATE_WINDOW = 10**9  # one window for the whole test: no boundary to cross
    for _ in range(3):
        assert client.get(INDEX).status_code == 200
    page = client.get(INDEX)
    assert page.status_code == 429 and "请求过于频繁" in page.content.decode() and int(page["Retry-After"]) >= 1
    endpoint = client.get(API)
    assert endpoint.status_code == 429 and "请求过于频繁" in endpoint.json()["detail"]
    assert client.get(INDEX, REMOTE_ADDR="10.0.0.9").status_code == 200  # another client is not affected


def test_it_caches_answers_by_query_string(client, world):
    first = client.get(API, {"type": "public"})
    with CaptureQueriesContext(connection) as captured:
        again = client.get(f"{API}?type=public")
    assert len(captured) == 0 and again["X-Public-Cache"] == "hit" and again.content == first.content
    assert "X-Public-Cache" not in client.get(API, {"type": "inclusive"})


def query_count(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_costs_a_fixed_number_of_queries_whatever_the_data(client, world, bureau_official):
    urls = [
        f"{INDEX}?address=望京西路&type=inclusive&toddler=1&fee_max=2000",
        f"{INDEX}?lat=40&lng=116.47",
        f"{API}?address=望京西路",
        reverse("public:kindergarten_detail", args=["PUB00001"]),
        reverse("public:api_kindergarten", args=["INC00002"]),
    ]
    before = [query_count(client, url) for url in urls]
    for n in range(25):
        extra = kg(f"EXT{n:05d}", f"望京新园{n}", 40.003 + n / 1000, 116.47, address=f"望京西路{30 + n}号", **INCLUSIVE)
        file_fees(extra, "1000")
    file_fees(world["N1"], "750", year=2024)
    external_evaluation(cycle(start_year=2021, by=bureau_official), world["N1"], status=EvaluationStatus.PUBLISHED)
    assert [query_count(client, url) for url in urls] == before


def test_it_shows_a_private_kindergartens_credit_level_and_nothing_else_of_its_record(client, world):
    from governance.models import CreditRecord
    from kindergartens.models import Kindergarten

    kg = Kindergarten.objects.get(code="INC00002")
    CreditRecord.objects.create(
        kindergarten=kg,
        sponsor_name="某某教育咨询有限公司",
        principal_name="王某某",
        level="B",
        score=80,
        sponsor_level="D",
        principal_level="C",
        computed_on=datetime.date(2025, 10, 15),
    )
    detail = client.get(reverse("public:api_kindergarten", args=["INC00002"])).json()
    assert detail["credit"] == {
        "level": "B",
        "label": "B 级（基本守信）",
        "rated_on": "2025-10-15",
        "under_review": False,
    }
    html = client.get(reverse("public:kindergarten_detail", args=["INC00002"])).content.decode()
    assert "B 级（基本守信）" in html
    for hidden in ("某某教育咨询有限公司", "王某某"):
        assert hidden not in html and hidden not in str(detail)
    assert client.get(reverse("public:api_kindergarten", args=["PUB00001"])).json()["credit"] is None


def test_a_level_a_pending_appeal_may_change_is_not_published_on_the_page_or_the_api(client, world):
    """B (80: an order −5 and its penalty −15). Appealing the penalty could make it A (95): the
    page and the API say 评定复核中 and no level until the bureau decides. Appealing the order
    alone could not change it (85 is still B): the level stays published."""
    from governance.choices import AppealStatus, CreditEventKind
    from governance.models import CreditAppeal
    from governance.services import credit_refresh
    from inspections.choices import OrderReason, OrderStatus
    from inspections.models import RectificationOrder
    from kindergartens.models import Kindergarten

    day = datetime.date(2025, 10, 15)
    kg = Kindergarten.objects.get(code="INC00002")
    RectificationOrder.objects.create(
        kindergarten=kg,
        reason=OrderReason.THREE_DEFENCES,
        description="—",
        issued_on=day - datetime.timedelta(days=60),
        deadline=day - datetime.timedelta(days=30),
        status=OrderStatus.PENALISED,
        penalty_kind="fine",
        penalised_on=day - datetime.timedelta(days=10),
    )
    credit_refresh(day=day)
    record = kg.credit_record
    api = reverse("public:api_kindergarten", args=["INC00002"])
    page = reverse("public:kindergarten_detail", args=["INC00002"])

    def shown():
        cache.clear()
        return client.get(api).json()["credit"], client.get(page).content.decode()

    published = {"level": "B", "label": "B 级（基本守信）", "rated_on": "2025-10-15", "under_review": False}
    order_appeal = CreditAppeal.objects.create(event=record.events.get(kind=CreditEventKind.ORDER), grounds="x")
    credit, html = shown()
    assert credit == published and "B 级（基本守信）" in html and "评定复核中" not in html

    penalty = CreditAppeal.objects.create(event=record.events.get(kind=CreditEventKind.ORDER_PENALISED), grounds="x")
    credit, html = shown()
    assert credit == {"level": None, "label": "评定复核中", "rated_on": None, "under_review": True}
    assert "评定复核中" in html and "B 级" not in html

    CreditAppeal.objects.filter(pk__in=[order_appeal.pk, penalty.pk]).update(status=AppealStatus.DISMISSED)
    credit, html = shown()
    assert credit == published and "B 级（基本守信）" in html
