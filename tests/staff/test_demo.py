"""The staff demo data: staffed to the standard with some gaps, valid made-up numbers, re-runs add nothing."""

import random

import pytest
from django.utils import timezone

from kindergartens.models import Kindergarten
from staff import demo, identity
from staff.models import Person, StaffingStandard, StaffMember
from staff.selectors import annotated_staffing, with_staffing_checks
from tests.factories import KindergartenFactory

from .conftest import add_classes

pytestmark = pytest.mark.django_db


def test_it_staffs_the_demo_kindergartens_once(today):
    for n in range(12):
        kindergarten = KindergartenFactory(code=f"DEMO-{n:06d}")
        add_classes(kindergarten, *([28] * (3 + n % 9)))
    KindergartenFactory(code="OTHER-1")
    summary = demo.seed(random.Random(2025))
    assert "12 所幼儿园" in summary
    assert not StaffMember.objects.filter(kindergarten__code="OTHER-1").exists()
    for person in Person.objects.all()[:50]:
        number = identity.decrypt(person.id_encrypted)
        assert identity.validate(number) == number and person.id_hash == identity.id_hash(number)
    day = timezone.localdate()
    rows = with_staffing_checks(
        Kindergarten.objects.filter(code__startswith="DEMO-"), day, StaffingStandard.objects.for_day(day)
    )
    assert sum(row.meets_staffing for row in rows) >= 8  # most meet the standard
    count = StaffMember.objects.count()
    assert demo.seed(random.Random(2025)).startswith("教职工 0 个岗位")
    assert StaffMember.objects.count() == count


def test_the_demo_staffing_level_is_what_docs_staff_md_says(today):
    """The issue asked for "about 10 staff per 100 children"; the full-day standard's all-staff
    ratio (1:5 – 1:7) needs at least 100 ÷ 7 ≈ 14.3, so the demo staffs to the standard instead:
    about 18 per 100 (docs/staff.md, "Demo data")."""
    for n in range(12):
        add_classes(KindergartenFactory(code=f"DEMO-{n:06d}"), *([28] * (3 + n % 9)))
    demo.seed(random.Random(2025))
    day = timezone.localdate()
    rows = annotated_staffing(Kindergarten.objects.filter(code__startswith="DEMO-"), day, None)
    staff = sum(r.staff_total for r in rows)
    children = sum(r.children_this_year for r in rows)
    per_100 = staff * 100 / children
    print(f"demo: {staff} staff for {children} children, {per_100:.1f} per 100")
    assert 100 / 7 <= per_100 <= 21


def test_the_sources_grouped_figures_equal_the_per_kindergarten_checks_on_the_demo(today):
    """The indicator source's derived tables (`grouped_staffing_checks`) against the staff pages'
    per-kindergarten checks, on the demo's staff with its gaps and certificates."""
    from staff.day_figures import GROUP_SUMS, grouped_staffing_checks

    for n in range(12):
        add_classes(KindergartenFactory(code=f"DEMO-{n:06d}"), *([28] * (3 + n % 9)))
    demo.seed(random.Random(2025))
    standard = StaffingStandard.objects.for_day(today)
    operating = Kindergarten.objects.operating()
    expected = {}
    for k in with_staffing_checks(operating, today, standard):
        sums = expected.setdefault(k.sponsor_type, dict.fromkeys(("operating", "staffing", *GROUP_SUMS), 0))
        sums["operating"] += 1
        sums["staffing"] += k.meets_staffing
        for name in GROUP_SUMS:
            sums[name] += getattr(k, name)
    rows = grouped_staffing_checks(operating, today, standard, "sponsor_type")
    assert {r.pop("sponsor_type"): r for r in rows} == expected
    assert sum(s["teachers_certified"] for s in expected.values()) > 0
    assert 0 < sum(s["staffing"] for s in expected.values()) < 12
