"""The governance chapter of the PDF report: its figures on a hand-made case, limited to the
report's sub-district, and rendered by WeasyPrint (read back with pdftotext)."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest

from accounts.choices import Role
from governance import services
from governance.choices import AlertKind
from governance.models import Disbursement, FeeAlert
from governance.pdf import governance_pdf_section, previous_month
from kindergartens.choices import EstateGapKind, EstateOwner, InclusiveStatus, SponsorType
from kindergartens.models import EstateGap
from reports import registry
from reports.choices import ScopeType
from reports.models import IndicatorSnapshot
from reports.pdf import render_report_pdf
from tests.factories import KindergartenFactory, UserFactory

from .conftest import add_classes, recognised

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 11, 15)
OCTOBER = datetime.date(2024, 10, 1)


@pytest.fixture
def case(kg_p, director_p, bureau_official, wangjing, shuangjing):
    """望京: P recognised from 2024-09-01, 20 children → October ¥20,000, ¥15,000 paid.
    双井: Q recognised 2021-12-01 (lapses 2024-12-01, within the 90 warning days), 10 children
    → ¥10,000, nothing paid; R revoked; an open fee alert above the cap and one resolved; an
    estate kindergarten with a handover gap open since 2024-06-01 and one resolved."""
    add_classes(kg_p, 2024, small=20)
    recognised(kg_p, director_p, bureau_official, valid_from=datetime.date(2024, 9, 1))
    Disbursement.objects.create(kindergarten=kg_p, month=OCTOBER, amount=Decimal("15000"))
    private = {"sponsor_type": SponsorType.PRIVATE_NONPROFIT, "inclusive_status": InclusiveStatus.NON_INCLUSIVE_PRIVATE}
    kg_q = KindergartenFactory(code="KGQ0001", name="双井晨曦幼儿园", subdistrict=shuangjing, **private)
    kg_r = KindergartenFactory(code="KGR0001", name="双井小树幼儿园", subdistrict=shuangjing, **private)
    add_classes(kg_q, 2024, middle=10)
    director_q = UserFactory(role=Role.DIRECTOR, kindergarten=kg_q)
    director_r = UserFactory(role=Role.DIRECTOR, kindergarten=kg_r)
    recognised(kg_q, director_q, bureau_official, valid_from=datetime.date(2021, 12, 1))
    revoked = recognised(kg_r, director_r, bureau_official, valid_from=datetime.date(2023, 9, 1))
    services.recognition_revoke(
        recognition=revoked, user=bureau_official, note="违规收费", day=datetime.date(2024, 3, 1)
    )
    FeeAlert.objects.create(
        kindergarten=kg_q,
        kind=AlertKind.ABOVE_CAP,
        key="2024:care",
        detail="超限价",
        raised_on=datetime.date(2024, 10, 2),
    )
    FeeAlert.objects.create(
        kindergarten=kg_q, kind=AlertKind.NOT_FILED, key="2024", detail="未备案", raised_on=datetime.date(2024, 9, 2),
        status="resolved", resolved_on=datetime.date(2024, 10, 1),
    )  # fmt: skip
    estate = KindergartenFactory(
        code="KGE0001", name="双井配套幼儿园", subdistrict=shuangjing, is_estate_kindergarten=True
    )
    EstateGap.objects.create(
        kindergarten=estate, kind=EstateGapKind.HANDOVER, since=datetime.date(2024, 6, 1), owner=EstateOwner.DEVELOPER
    )
    EstateGap.objects.create(
        kindergarten=estate, kind=EstateGapKind.USE, since=datetime.date(2024, 1, 1),
        resolved_on=datetime.date(2024, 5, 1), owner=EstateOwner.SUBDISTRICT,
    )  # fmt: skip
    return kg_p, kg_q


def test_the_chapter_is_registered():
    assert "governance" in [section.name for section in registry.pdf_sections()]


def test_the_district_chapter_has_the_right_figures(case):
    section = governance_pdf_section(DAY)
    assert previous_month(DAY) == OCTOBER == section.month
    assert (section.recognised, section.lapsing, section.revoked) == (2, 1, 1)
    assert section.warning_days == 90
    assert dict(section.alerts) == {AlertKind.ABOVE_CAP.label: 1, AlertKind.NOT_FILED.label: 0,
                                    AlertKind.SPONSOR_PAYMENT.label: 0}  # fmt: skip
    assert [(r.name, r.kindergartens, r.entitled, r.paid) for r in section.money] == [
        ("双井", 1, Decimal("10000.00"), Decimal("0")),
        ("望京", 1, Decimal("20000.00"), Decimal("15000")),
    ]  # by sub-district code: 双井 016, 望京 026
    assert (section.entitled, section.paid) == (Decimal("30000.00"), Decimal("15000"))
    assert section.estates_not_in_place == 1 and section.estate_rows == [("双井", 1)]


def test_a_subdistricts_chapter_shows_only_its_own(case, wangjing, shuangjing):
    own = governance_pdf_section(DAY, wangjing)
    assert (own.recognised, own.lapsing, own.revoked, own.alerts_open, own.estates_not_in_place) == (1, 0, 0, 0, 0)
    assert [(r.name, r.entitled, r.paid, r.unpaid) for r in own.money] == [
        ("望京启航幼儿园", Decimal("20000.00"), Decimal("15000"), Decimal("5000.00"))
    ]
    other = governance_pdf_section(DAY, shuangjing)
    assert (other.recognised, other.lapsing, other.revoked, other.alerts_open) == (1, 1, 1, 1)
    (estate,) = other.estates
    assert [gap.kind for gap in estate.open_gaps] == [EstateGapKind.HANDOVER]  # the resolved one is not listed


def snapshot(area=None):
    IndicatorSnapshot.objects.create(
        date=DAY,
        scope_type=ScopeType.DISTRICT if area is None else ScopeType.SUBDISTRICT,
        scope_key="district" if area is None else area.code,
        subdistrict=area,
        indicator="gross_enrollment_rate",
        numerator=Decimal(90),
        denominator=Decimal(100),
        value=Decimal("0.9"),
    )


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_it_renders_in_the_district_and_the_subdistrict_report(case, wangjing, tmp_path):
    snapshot()
    snapshot(wangjing)

    def text(**kwargs) -> str:
        path = tmp_path / "report.pdf"
        path.write_bytes(render_report_pdf(date=DAY, **kwargs))
        out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
        return " ".join(out.stdout.split())

    district = text()
    assert "民办园治理与经费" in district
    assert "2024年10月普惠性民办园补助" in district
    assert "30,000.00" in district and "15,000.00" in district
    assert "“四个不到位”的居住区配套园（1 所）" in district
    own = text(subdistrict=wangjing)
    assert "民办园治理与经费" in own
    assert "望京启航幼儿园" in own and "20,000.00" in own and "5,000.00" in own
    chapter = own.rsplit("民办园治理与经费", 1)[1].rsplit("指标定义与统计口径", 1)[0]
    assert "双井" not in chapter and "10,000.00" not in chapter
