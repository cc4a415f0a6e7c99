"""Subsidy entitlement on hand-computed cases, disbursements and aid recipients."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance import services
from governance.choices import AidCategory, FeeItemKind, KindergartenGrade
from governance.models import AidRecipient, Recognition
from governance.subsidies import covered_days, entitlements
from tests.conftest import client_for

from .conftest import add_classes, recognised

pytestmark = pytest.mark.django_db


def test_it_counts_the_days_a_recognition_covers():
    october = datetime.date(2025, 10, 1)
    assert covered_days(october, datetime.date(2025, 10, 16), None) == 16
    assert covered_days(october, datetime.date(2024, 1, 1), datetime.date(2025, 10, 11)) == 10  # expires on the 11th
    assert covered_days(october, datetime.date(2025, 11, 1), None) == 0
    assert covered_days(datetime.date(2024, 2, 1), datetime.date(2020, 1, 1), None) == 29


def test_a_first_grade_kindergarten_gets_1000_a_child_for_a_whole_month_before_the_waiver(
    kg_p, director_p, bureau_official
):
    add_classes(kg_p, 2024, small=20, middle=10, senior=5, toddler=12)  # toddlers excluded
    recognised(kg_p, director_p, bureau_official, valid_from=datetime.date(2024, 3, 1))
    (row,) = entitlements(Recognition.objects.all(), datetime.date(2024, 11, 1))
    assert (row.children, row.rate, row.days, row.days_in_month) == (35, Decimal("1000"), 30, 30)
    assert (row.base, row.waiver, row.total) == (Decimal("35000.00"), Decimal("0.00"), Decimal("35000.00"))


def test_a_second_grade_kindergarten_recognised_mid_month_is_paid_pro_rata(kg_p, director_p, bureau_official):
    add_classes(kg_p, 2024, small=30)
    recognised(
        kg_p, director_p, bureau_official, valid_from=datetime.date(2024, 11, 21), grade=KindergartenGrade.SECOND
    )
    (row,) = entitlements(Recognition.objects.all(), datetime.date(2024, 11, 1))
    # 30 children × ¥700 × 10 of 30 days
    assert (row.rate, row.days, row.base) == (Decimal("700"), 10, Decimal("7000.00"))
    assert entitlements(Recognition.objects.all(), datetime.date(2024, 10, 1)) == []


def test_a_revocation_mid_month_ends_the_entitlement_on_that_day(kg_p, director_p, bureau_official):
    add_classes(kg_p, 2024, small=31)
    recognition = recognised(kg_p, director_p, bureau_official, valid_from=datetime.date(2024, 9, 1))
    services.recognition_revoke(
        recognition=recognition, user=bureau_official, note="违规收费", day=datetime.date(2024, 12, 11)
    )
    (row,) = entitlements(Recognition.objects.all(), datetime.date(2024, 12, 1))
    assert (row.days, row.days_in_month, row.base) == (10, 31, Decimal("10000.00"))  # 31 × 1000 × 10/31
    assert entitlements(Recognition.objects.all(), datetime.date(2025, 1, 1)) == []


def test_from_autumn_2025_the_senior_year_deduction_is_added(kg_p, director_p, bureau_official):
    add_classes(kg_p, 2025, small=20, senior=10)
    recognised(kg_p, director_p, bureau_official, valid_from=datetime.date(2025, 3, 1))
    (row,) = entitlements(Recognition.objects.all(), datetime.date(2025, 9, 1))
    # 30 × 1000; seniors: 10 × the public first-grade cap 750
    assert (row.base, row.waiver, row.total) == (Decimal("30000.00"), Decimal("7500.00"), Decimal("37500.00"))
    # A filed fee below the public cap limits the deduction to the fee.
    services.fee_filing_save(
        kindergarten=kg_p,
        user=director_p,
        school_year=2025,
        grade="first",
        amounts={FeeItemKind.CARE_EDUCATION: Decimal("600")},
    )
    (row,) = entitlements(Recognition.objects.all(), datetime.date(2025, 9, 1))
    assert row.waiver == Decimal("6000.00")


def test_the_subsidy_page_totals_per_subdistrict_and_records_a_disbursement(client, kg_p, director_p, bureau_official):
    add_classes(kg_p, 2024, small=10)
    recognised(kg_p, director_p, bureau_official, valid_from=datetime.date(2024, 9, 1))
    client = client_for(client, bureau_official)
    page = client.get(reverse("governance:subsidies"), {"month": "2024-10"})
    assert page.context["totals"][0]["entitled"] == Decimal("10000.00")
    response = client.post(
        reverse("governance:disbursement_add"), {"kindergarten": kg_p.pk, "month": "2024-10", "amount": "10000"}
    )
    assert response.status_code == 302
    page = client.get(reverse("governance:subsidies"), {"month": "2024-10"})
    assert page.context["totals"][0]["paid"] == Decimal("10000")


def test_a_director_may_not_record_a_disbursement(kg_p, director_p):
    with pytest.raises(PermissionDenied):
        services.disbursement_record(
            kindergarten=kg_p, user=director_p, month=datetime.date(2024, 10, 1), amount=Decimal("1")
        )


@pytest.mark.parametrize("value", ["张小明", "Zhang Xiaoming", "110105201901011234", "ZXM110105", ""])
def test_aid_recipients_refuse_names_and_id_numbers(kg_p, director_p, value):
    with pytest.raises(ValidationError):
        services.aid_recipient_add(
            kindergarten=kg_p,
            user=director_p,
            school_year=2025,
            initials=value,
            category=AidCategory.ORPHAN,
            amount=Decimal("1000"),
        )
    assert not AidRecipient.objects.exists()


def test_aid_recipients_are_kept_by_initials_and_totalled_per_subdistrict(client, kg_p, director_p, bureau_official):
    services.aid_recipient_add(
        kindergarten=kg_p,
        user=director_p,
        school_year=2025,
        initials="zxm",
        category="difficulty",
        amount=Decimal("1200"),
    )
    assert AidRecipient.objects.get().initials == "ZXM"
    form = client_for(client, director_p).post(
        reverse("governance:aid_add"),
        {"kindergarten": kg_p.pk, "school_year": 2025, "initials": "王小红", "category": "orphan", "amount": "800"},
    )
    assert form.status_code == 200 and "不得填写姓名" in form.content.decode()
    page = client_for(client, bureau_official).get(reverse("governance:aid_list"))
    assert [(area.name, n, amount) for area, n, amount in page.context["totals"]] == [("望京", 1, Decimal("1200"))]


def test_another_directors_aid_is_not_theirs_to_add(kg_p, director_a):
    with pytest.raises(PermissionDenied):
        services.aid_recipient_add(
            kindergarten=kg_p, user=director_a, school_year=2025, initials="AB", category="orphan", amount=Decimal("1")
        )


def test_the_subsidy_export_holds_only_what_the_user_may_see(client, kg_p, director_p, director_a, bureau_official):
    import io

    import openpyxl

    add_classes(kg_p, 2024, small=10)
    recognised(kg_p, director_p, bureau_official, valid_from=datetime.date(2024, 9, 1))

    def names(user) -> list:
        response = client_for(client, user).get(reverse("governance:subsidy_export"), {"month": "2024-10"})
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]]

    assert names(bureau_official) == [kg_p.name]
    assert names(director_a) == []


def test_a_kindergarten_with_two_recognitions_in_the_month_is_paid_and_counted_once():
    """Revoked mid-month and recognised again: two entitlement rows, one kindergarten, one payment."""
    from types import SimpleNamespace

    from governance.subsidies import Entitlement, totals_by_subdistrict

    class Area:  # a sub-district stand-in: hashable, as the totals key on it
        code, name = "01", "甲街道"

    area = Area()
    kindergarten = SimpleNamespace(pk=7, subdistrict=area)
    rows = [
        Entitlement(
            recognition=SimpleNamespace(kindergarten=kindergarten),
            month=datetime.date(2026, 3, 1),
            children=10,
            senior_children=0,
            rate=Decimal("100"),
            days=days,
            days_in_month=31,
            base=Decimal(amount),
            waiver=Decimal("0"),
        )
        for days, amount in ((15, "483.87"), (16, "516.13"))
    ]
    [totals] = totals_by_subdistrict(rows, {7: Decimal("1000.00")})
    assert totals["kindergartens"] == 1
    assert totals["entitled"] == Decimal("1000.00")
    assert totals["paid"] == Decimal("1000.00")
