"""The registry's own rules: Kindergarten.clean(), inclusive status on a date, and name compliance."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from kindergartens.choices import EstateStage, InclusiveStatus, NamingRuleCategory, SponsorType
from kindergartens.models import Kindergarten, NamingRule
from kindergartens.naming import Rules, check_name, core_name, refresh_name_compliance, violations_of
from tests.factories import KindergartenFactory

pytestmark = pytest.mark.django_db


def inclusive_private(**kwargs) -> Kindergarten:
    """An unsaved, valid, recognised inclusive private kindergarten."""
    defaults = {
        "sponsor_type": SponsorType.PRIVATE_NONPROFIT,
        "inclusive_status": InclusiveStatus.INCLUSIVE_PRIVATE,
        "recognition_date": date(2023, 9, 1),
        "recognition_expiry": date(2026, 8, 31),
    }
    return KindergartenFactory.build(**{**defaults, **kwargs})


def errors_of(kindergarten: Kindergarten, *, unique: bool = False) -> dict[str, list[str]]:
    """The validation errors of `full_clean`, keyed by field; empty when the object is valid."""
    try:
        kindergarten.full_clean(validate_unique=unique)
    except ValidationError as exc:
        return exc.message_dict
    return {}


# --- Kindergarten.clean() -------------------------------------------------------------------


def test_it_accepts_a_valid_public_and_a_valid_inclusive_private_kindergarten():
    assert errors_of(KindergartenFactory.build()) == {}
    assert errors_of(inclusive_private()) == {}


@pytest.mark.parametrize("sponsor", [SponsorType.PRIVATE_NONPROFIT, SponsorType.PRIVATE_FORPROFIT])
def test_it_refuses_a_private_kindergarten_registered_as_public(sponsor):
    errors = errors_of(KindergartenFactory.build(sponsor_type=sponsor, inclusive_status=InclusiveStatus.PUBLIC))
    assert errors["inclusive_status"] == ["民办幼儿园不能登记为“公办园”。"]


@pytest.mark.parametrize("status", [InclusiveStatus.INCLUSIVE_PRIVATE, InclusiveStatus.NON_INCLUSIVE_PRIVATE])
@pytest.mark.parametrize("sponsor", [SponsorType.EDUCATION_BUREAU, SponsorType.ARMY, SponsorType.VILLAGE_COLLECTIVE])
def test_it_requires_a_public_sponsors_kindergarten_to_be_public(sponsor, status):
    kindergarten = KindergartenFactory.build(
        sponsor_type=sponsor, inclusive_status=status, recognition_date=date(2023, 9, 1)
    )
    assert "公办举办者开办的幼儿园，普惠性质应为“公办园”。" in errors_of(kindergarten)["inclusive_status"]


def test_it_refuses_to_recognise_a_for_profit_kindergarten_as_inclusive():
    errors = errors_of(inclusive_private(sponsor_type=SponsorType.PRIVATE_FORPROFIT))
    assert errors["inclusive_status"] == ["营利性民办园不能认定为普惠性民办园。"]


def test_it_lets_a_for_profit_kindergarten_be_non_inclusive():
    kindergarten = KindergartenFactory.build(
        sponsor_type=SponsorType.PRIVATE_FORPROFIT, inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE
    )
    assert errors_of(kindergarten) == {}


def test_it_requires_a_recognition_date_for_an_inclusive_private_kindergarten():
    errors = errors_of(inclusive_private(recognition_date=None, recognition_expiry=None))
    assert errors == {"recognition_date": ["普惠性民办园须填写认定日期。"]}


def test_it_accepts_a_recognition_without_expiry():
    assert errors_of(inclusive_private(recognition_expiry=None)) == {}


@pytest.mark.parametrize("expiry", [date(2023, 9, 1), date(2023, 8, 31)])
def test_it_requires_the_expiry_to_come_after_the_recognition(expiry):
    errors = errors_of(inclusive_private(recognition_expiry=expiry))
    assert errors == {"recognition_expiry": ["认定有效期须晚于认定日期。"]}


@pytest.mark.parametrize(
    ("sponsor", "status"),
    [
        (SponsorType.EDUCATION_BUREAU, InclusiveStatus.PUBLIC),
        (SponsorType.PRIVATE_NONPROFIT, InclusiveStatus.NON_INCLUSIVE_PRIVATE),
    ],
)
@pytest.mark.parametrize("dates", [{"recognition_date": date(2023, 9, 1)}, {"recognition_expiry": date(2026, 8, 31)}])
def test_it_keeps_recognition_dates_for_inclusive_private_kindergartens_only(sponsor, status, dates):
    errors = errors_of(KindergartenFactory.build(sponsor_type=sponsor, inclusive_status=status, **dates))
    assert errors == {"recognition_date": ["只有普惠性民办园填写认定日期和有效期。"]}


@pytest.mark.parametrize(
    "estate_field",
    [
        {"estate_name": "望京花园小区"},
        {"estate_stage": EstateStage.IN_USE},
        {"estate_planning_gap": True},
        {"estate_construction_gap": True},
        {"estate_handover_gap": True},
        {"estate_use_gap": True},
    ],
)
def test_it_refuses_estate_details_without_the_estate_flag(estate_field):
    errors = errors_of(KindergartenFactory.build(**estate_field))
    assert errors == {"is_estate_kindergarten": ["填写了配套居住区信息，请勾选“居住区配套园”。"]}


def test_it_requires_a_stage_for_an_estate_kindergarten():
    kindergarten = KindergartenFactory.build(is_estate_kindergarten=True, estate_name="望京花园小区")
    assert errors_of(kindergarten) == {"estate_stage": ["居住区配套园须填写所处阶段。"]}
    kindergarten.estate_stage = EstateStage.HANDOVER
    kindergarten.estate_handover_gap = True
    assert errors_of(kindergarten) == {}


def test_it_refuses_a_kindergarten_as_its_own_branch():
    kindergarten = KindergartenFactory()
    kindergarten.branch_of = kindergarten
    assert errors_of(kindergarten) == {"branch_of": ["幼儿园不能是自己的分园。"]}


def test_it_refuses_a_branch_of_a_branch():
    head = KindergartenFactory()
    branch = KindergartenFactory(branch_of=head)
    assert errors_of(KindergartenFactory.build(branch_of=head)) == {}
    assert errors_of(KindergartenFactory.build(branch_of=branch)) == {"branch_of": ["总园本身不能是分园。"]}


def test_it_keeps_international_seats_within_capacity():
    assert errors_of(KindergartenFactory.build(approved_capacity=300, international_seats=300)) == {}
    errors = errors_of(KindergartenFactory.build(approved_capacity=300, international_seats=301))
    assert errors == {"international_seats": ["国际化学位数不能超过核定学位数。"]}


@pytest.mark.parametrize(("lat", "lon"), [("39.99", None), (None, "116.47")])
def test_it_requires_both_coordinates_or_neither(lat, lon):
    errors = errors_of(KindergartenFactory.build(latitude=lat, longitude=lon))
    assert errors == {"longitude": ["经纬度须同时填写或同时留空。"]}


def test_it_accepts_both_coordinates_in_range_and_refuses_out_of_range_ones():
    assert errors_of(KindergartenFactory.build(latitude="39.998", longitude="116.470")) == {}
    assert set(errors_of(KindergartenFactory.build(latitude="91", longitude="181"))) == {"latitude", "longitude"}


@pytest.mark.parametrize("code", ["KG1", "KG 0001", "幼儿园0001", "K" * 21, "KG_0001"])
def test_it_refuses_a_badly_formed_code(code):
    assert "编码应为 4–20 位字母、数字或连字符。" in errors_of(KindergartenFactory.build(code=code))["code"]


@pytest.mark.parametrize("code", ["KG01", "110105-026-01", "A" * 20])
def test_it_accepts_a_well_formed_code(code):
    assert errors_of(KindergartenFactory.build(code=code)) == {}


def test_it_refuses_a_duplicate_code():
    KindergartenFactory(code="KG0001")
    errors = errors_of(KindergartenFactory.build(code="KG0001"), unique=True)
    assert list(errors) == ["code"]


def test_it_reports_every_broken_rule_at_once():
    kindergarten = KindergartenFactory.build(
        sponsor_type=SponsorType.PRIVATE_NONPROFIT,
        inclusive_status=InclusiveStatus.PUBLIC,
        international_seats=500,
        latitude="39.99",
    )
    assert set(errors_of(kindergarten)) == {"inclusive_status", "international_seats", "longitude"}


# --- is_inclusive_on ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 8, 31), False),  # the day before recognition
        (date(2023, 9, 1), True),  # recognised on this very day
        (date(2025, 3, 1), True),
        (date(2026, 8, 30), True),  # the last covered day
        (date(2026, 8, 31), False),  # expiring on this day: no longer covered
        (date(2027, 1, 1), False),
    ],
)
def test_it_counts_a_private_kindergarten_as_inclusive_only_while_recognised(day, expected):
    assert inclusive_private().is_inclusive_on(day) is expected


def test_it_counts_a_recognition_without_expiry_from_its_date_on():
    kindergarten = inclusive_private(recognition_expiry=None)
    assert not kindergarten.is_inclusive_on(date(2023, 8, 31))
    assert kindergarten.is_inclusive_on(date(2023, 9, 1))
    assert kindergarten.is_inclusive_on(date(2040, 1, 1))


def test_it_counts_public_kindergartens_always_and_non_inclusive_ones_never():
    assert KindergartenFactory.build().is_inclusive_on(date(2000, 1, 1))
    non_inclusive = KindergartenFactory.build(
        sponsor_type=SponsorType.PRIVATE_NONPROFIT, inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE
    )
    assert not non_inclusive.is_inclusive_on(date(2025, 1, 1))


# --- name compliance ------------------------------------------------------------------------


def violations(name: str, *, private: bool = False) -> set[tuple[str, str]]:
    return {(v.category, v.word) for v in check_name(name, is_private=private, rules=Rules.load())}


@pytest.mark.parametrize(
    ("name", "category", "word"),
    [
        ("朝阳区中华幼儿园", NamingRuleCategory.NATIONAL_SCOPE, "中华"),
        ("望京国际幼儿园", NamingRuleCategory.NATIONAL_SCOPE, "国际"),
        ("望京Sunny幼儿园", NamingRuleCategory.FOREIGN_WORD, "Sunny"),
        ("朝阳剑桥幼儿园", NamingRuleCategory.FOREIGN_PLACE, "剑桥"),
        ("朝阳维也纳幼儿园", NamingRuleCategory.FOREIGN_PLACE, "维也纳"),
        ("朝阳双语幼儿园", NamingRuleCategory.CURRICULUM_CLAIM, "双语"),
        ("朝阳蒙台梭利幼儿园", NamingRuleCategory.CURRICULUM_CLAIM, "蒙台梭利"),
        ("朝阳福音幼儿园", NamingRuleCategory.RELIGIOUS, "福音"),
        ("朝阳基督幼儿园", NamingRuleCategory.RELIGIOUS, "基督"),
    ],
)
def test_it_detects_each_category_with_the_word_that_breaks_it(name, category, word):
    assert violations(name) == {(category, word)}
    assert violations(name, private=True) == {(category, word)}


def test_it_bans_public_school_names_for_private_kindergartens_only():
    assert violations("人大附小幼儿园") == set()
    assert (NamingRuleCategory.PUBLIC_SCHOOL_NAME, "附小") in violations("人大附小幼儿园", private=True)


def test_it_bans_experimental_for_private_kindergartens_only():
    assert violations("朝阳区实验幼儿园") == set()
    assert violations("望京实验幼儿园", private=True) == {(NamingRuleCategory.CURRICULUM_CLAIM, "实验")}


def test_it_reports_every_latin_word_and_every_banned_word():
    assert violations("望京ABC国际双语Kids幼儿园") == {
        (NamingRuleCategory.FOREIGN_WORD, "ABC"),
        (NamingRuleCategory.FOREIGN_WORD, "Kids"),
        (NamingRuleCategory.NATIONAL_SCOPE, "国际"),
        (NamingRuleCategory.CURRICULUM_CLAIM, "双语"),
    }


@pytest.mark.parametrize(
    "name", ["朝阳区第一幼儿园", "望京花园幼儿园", "北京市朝阳区劲松社区办园点", "小红门阳光幼儿园"]
)
def test_it_passes_compliant_names(name):
    assert violations(name) == set()
    assert violations(name, private=True) == set()


def test_it_takes_the_core_of_a_name_without_place_prefix_and_suffix():
    assert core_name("北京市朝阳区阳光幼儿园(分园)") == "阳光"
    assert core_name("朝阳区劲松社区办园点") == "劲松"
    assert core_name("北京阳光幼儿园") == "阳光"


def test_it_flags_a_private_kindergarten_reusing_a_public_ones_core_name():
    KindergartenFactory(name="北京市朝阳区阳光幼儿园", sponsor_type=SponsorType.EDUCATION_BUREAU)
    private = KindergartenFactory(
        name="朝阳阳光幼儿园",
        sponsor_type=SponsorType.PRIVATE_FORPROFIT,
        inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
    )
    assert not private.name_compliant
    assert [(v.category, v.word) for v in violations_of(private)] == [(NamingRuleCategory.PUBLIC_SCHOOL_NAME, "阳光")]
    # Another public kindergarten of the same core name is no copy: only private ones are checked.
    public_twin = KindergartenFactory(name="朝阳区阳光幼儿园")
    assert public_twin.name_compliant


def test_it_does_not_flag_a_public_kindergarten_turned_private_for_its_own_name():
    kindergarten = KindergartenFactory(name="朝阳区阳光幼儿园")
    kindergarten.sponsor_type = SponsorType.PRIVATE_NONPROFIT
    kindergarten.inclusive_status = InclusiveStatus.NON_INCLUSIVE_PRIVATE
    kindergarten.save()
    assert kindergarten.name_compliant
    assert refresh_name_compliance() == 0


def test_it_keeps_the_verdict_on_the_row_when_saving():
    kindergarten = KindergartenFactory(name="望京国际幼儿园")
    kindergarten.refresh_from_db()
    assert not kindergarten.name_compliant
    assert kindergarten.name_violations == [{"category": "national_scope", "word": "国际"}]
    assert [v.label for v in violations_of(kindergarten)] == ["冠以国家或国际范围字样"]
    kindergarten.name = "望京第二幼儿园"
    kindergarten.save(update_fields=["name"])
    kindergarten.refresh_from_db()
    assert kindergarten.name_compliant
    assert kindergarten.name_violations == []
    assert Kindergarten.objects.name_noncompliant().count() == 0


def test_it_refreshes_verdicts_after_a_naming_rule_is_added_and_records_history():
    sunny = KindergartenFactory(name="望京阳光幼儿园")
    other = KindergartenFactory(name="望京花园幼儿园")
    assert sunny.name_compliant
    before = sunny.history.count()

    NamingRule.objects.create(category=NamingRuleCategory.CURRICULUM_CLAIM, word="阳光")
    assert refresh_name_compliance() == 1

    sunny.refresh_from_db()
    other.refresh_from_db()
    assert not sunny.name_compliant
    assert sunny.name_violations == [{"category": "curriculum_claim", "word": "阳光"}]
    assert other.name_compliant
    assert sunny.history.count() == before + 1
    latest = sunny.history.latest()
    assert latest.history_change_reason == "名称规范重新核查"
    assert latest.name_compliant is False
    assert latest.prev_record.name_compliant is True
    # Nothing changed, nothing recorded.
    assert refresh_name_compliance() == 0
    assert sunny.history.count() == before + 1


def test_it_restores_verdicts_when_a_rule_is_switched_off():
    kindergarten = KindergartenFactory(name="朝阳国学幼儿园")
    assert not kindergarten.name_compliant
    NamingRule.objects.filter(word="国学").update(is_active=False)
    assert refresh_name_compliance(Kindergarten.objects.filter(pk=kindergarten.pk)) == 1
    kindergarten.refresh_from_db()
    assert kindergarten.name_compliant
