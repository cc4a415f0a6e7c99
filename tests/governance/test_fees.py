"""Fees: filings against the caps in force, alerts raised and resolved, the senior-year waiver."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance import services
from governance.choices import AlertKind, AlertStatus, FeeItemKind
from governance.indicators import FEE_ANOMALIES_OPEN, compute_governance_figures
from governance.models import FeeAlert, FeeFiling
from governance.selectors import senior_year_fee
from reports.registry import IndicatorContext
from reports.scopes import Scope
from tests.conftest import client_for

from .conftest import DAY, recognised

pytestmark = pytest.mark.django_db


def file_fees(kindergarten, user, care: str, *, year: int = 2025, grade: str = "first", **others) -> FeeFiling:
    amounts = {FeeItemKind.CARE_EDUCATION: Decimal(care), **{k: Decimal(v) for k, v in others.items()}}
    return services.fee_filing_save(
        kindergarten=kindergarten, user=user, school_year=year, grade=grade, amounts=amounts, day=DAY
    )


def open_anomalies(day: datetime.date) -> int:
    district = Scope.district()
    figures = compute_governance_figures(IndicatorContext(day=day, scopes=(district,), only=None, targets={}))
    return figures[district][FEE_ANOMALIES_OPEN].numerator


def test_it_raises_an_alert_for_a_fee_above_its_cap_and_the_bureau_resolves_it(director_a, kg_a, bureau_official):
    file_fees(kg_a, director_a, "750")  # public first grade: cap 750, not above
    assert not FeeAlert.objects.exists()
    file_fees(kg_a, director_a, "820", meals="600")
    alert = FeeAlert.objects.get()
    assert alert.kind == AlertKind.ABOVE_CAP and "820" in alert.detail and "750" in alert.detail
    assert open_anomalies(DAY) == 1
    file_fees(kg_a, director_a, "830")  # the same anomaly is not raised twice while open
    assert FeeAlert.objects.count() == 1

    with pytest.raises(PermissionDenied):
        services.fee_alert_resolve(alert=alert, user=director_a, note="已调整")
    with pytest.raises(ValidationError):
        services.fee_alert_resolve(alert=alert, user=bureau_official, note=" ")
    resolved_on = DAY + datetime.timedelta(days=3)
    services.fee_alert_resolve(alert=alert, user=bureau_official, note="已责令退还多收费用", day=resolved_on)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.resolved_by == bureau_official
    assert alert.history.first().history_user == bureau_official
    assert open_anomalies(resolved_on) == 0 and open_anomalies(resolved_on - datetime.timedelta(days=1)) == 1


def test_a_market_priced_private_kindergarten_has_no_cap(kg_p, director_p):
    file_fees(kg_p, director_p, "3800")
    assert not FeeAlert.objects.exists()


def test_an_inclusive_kindergarten_is_held_to_the_inclusive_cap(kg_p, director_p, bureau_official):
    recognised(kg_p, director_p, bureau_official, valid_from=datetime.date(2025, 3, 1))
    kg_p.refresh_from_db()
    file_fees(kg_p, director_p, "900")
    assert FeeAlert.objects.get().kind == AlertKind.ABOVE_CAP


def test_the_scan_raises_missing_filings_and_sponsor_payments_once(kg_a, kg_b, kg_p, director_a, director_p):
    file_fees(kg_a, director_a, "700")
    services.summary_file(
        kindergarten=kg_p,
        user=director_p,
        year=2024,
        income=Decimal("3000000"),
        expenditure=Decimal("2700000"),
        sponsor_payments=Decimal("200000"),
        day=DAY,
    )
    assert FeeAlert.objects.filter(kind=AlertKind.SPONSOR_PAYMENT, kindergarten=kg_p).count() == 1
    created = services.fee_alerts_scan(day=DAY)
    missing = set(FeeAlert.objects.filter(kind=AlertKind.NOT_FILED).values_list("kindergarten__code", flat=True))
    assert missing == {kg_b.code, kg_p.code} and created == 2
    assert services.fee_alerts_scan(day=DAY) == 0


def test_a_director_files_only_for_their_own_kindergarten(director_a, kg_b):
    with pytest.raises(PermissionDenied):
        file_fees(kg_b, director_a, "700")


def test_the_final_year_waiver_applies_from_autumn_2025(kg_a, kg_p, director_a, director_p):
    public = file_fees(kg_a, director_a, "750", year=2025)
    assert senior_year_fee(public, Decimal("750")).effective == Decimal("0")
    private = file_fees(kg_p, director_p, "2000", year=2025, grade="first")
    senior = senior_year_fee(private, Decimal("2000"))
    assert (senior.deduction, senior.effective) == (Decimal("750"), Decimal("1250"))
    before = file_fees(kg_p, director_p, "2000", year=2024)
    assert senior_year_fee(before, Decimal("2000")).effective == Decimal("2000")


def test_the_filing_page_shows_the_cap_and_the_effective_senior_fee(client, director_p, kg_p):
    filing = file_fees(kg_p, director_p, "2000", grade="model")
    text = client_for(client, director_p).get(filing.get_absolute_url()).content.decode()
    assert 'id="senior-fee"' in text and "1100" in text  # 2000 − the public model cap 900


def test_the_fee_filing_form_files_and_raises_an_alert(client, director_a, kg_a, bureau_official):
    response = client_for(client, director_a).post(
        reverse("governance:fee_filing_add"),
        {"kindergarten": kg_a.pk, "school_year": 2025, "grade": "first", "care_education": "900", "meals": "400"},
    )
    assert response.status_code == 302
    alert = FeeAlert.objects.get()
    page = client_for(client, bureau_official).get(alert.get_absolute_url()).content.decode()
    assert "标记已处理" in page
    client.post(reverse("governance:fee_alert_resolve", args=[alert.pk]), {"note": "已核实并责令整改"})
    assert FeeAlert.objects.get().status == AlertStatus.RESOLVED


def test_the_export_holds_only_what_the_user_may_see(client, director_a, director_b, kg_a, kg_b):
    import io

    import openpyxl

    file_fees(kg_a, director_a, "700")
    file_fees(kg_b, director_b, "650")
    response = client_for(client, director_a).get(reverse("governance:fee_filing_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert names == [kg_a.name]


def test_a_private_fee_below_the_public_cap_is_waived_entirely_in_the_senior_year(kg_p, director_p):
    filing = file_fees(kg_p, director_p, "700", grade="model")  # the public model cap is 900
    senior = senior_year_fee(filing, Decimal("700"))
    assert (senior.deduction, senior.effective) == (Decimal("700"), Decimal("0"))
