"""The staff indicators equal hand-computed figures for every scope, and the dashboard panel."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kindergartens.choices import LicenceStatus, SponsorType
from reports import registry
from reports.choices import ScopeType
from reports.indicators import compute_indicators_for, format_indicator_value
from reports.models import Target
from staff.choices import CertificateKind, StaffRole
from tests.conftest import client_for
from tests.factories import KindergartenFactory

from .conftest import add_classes, add_staff, days, staff_to_standard
from .factories import CertificateFactory

pytestmark = pytest.mark.django_db

CODES = (
    "staffing_compliance",
    "children_per_fulltime_teacher",
    "teacher_certified_rate",
    "principal_certified_rate",
    "certificates_expiring",
)


@pytest.fixture
def district(kg_a, kg_b, kg_c, today):
    """A (望京) to standard: 48 children, 4 full-time teachers, all certified.
    B (望京, private): 6 classes of 30 = 180 children; 2 principals (one without the principal
    certificate); 10 full-time teachers (one uncertified) + 2 part-time; 6 caregivers; 1 health
    worker (180 > 150: short); a health certificate expiring in 30 days.
    C (双井): 1 class of 20, 1 part-time teacher, nothing else.
    An unlicensed kindergarten in 双井 with staff: not counted anywhere."""
    staff_to_standard(kg_a)
    kg_b.sponsor_type = SponsorType.PRIVATE_NONPROFIT
    kg_b.save()
    add_classes(kg_b, 30, 30, 30, 30, 30, 30)
    add_staff(kg_b, StaffRole.PRINCIPAL)
    deputy = add_staff(kg_b, StaffRole.DEPUTY_PRINCIPAL, certified=False)[0]
    CertificateFactory(person=deputy.person, kind=CertificateKind.TEACHER)
    add_staff(kg_b, StaffRole.TEACHER, 9)
    add_staff(kg_b, StaffRole.TEACHER, 1, certified=False)
    add_staff(kg_b, StaffRole.TEACHER, 2, full_time=False)
    add_staff(kg_b, StaffRole.CAREGIVER, 6)
    nurse = add_staff(kg_b, StaffRole.HEALTH)[0]
    CertificateFactory(
        person=nurse.person, kind=CertificateKind.HEALTH, issued_on=today - days(300), expires_on=today + days(30)
    )
    add_classes(kg_c, 20)
    add_staff(kg_c, StaffRole.TEACHER, full_time=False)
    unlicensed = KindergartenFactory(subdistrict=kg_c.subdistrict, licence_status=LicenceStatus.UNLICENSED)
    add_classes(unlicensed, 25)
    add_staff(unlicensed, StaffRole.TEACHER, 3, certified=False)


def figures(today):
    rows = compute_indicators_for(today)
    found = {}
    for row in rows:
        if row.indicator in CODES:
            found[(row.scope.type, row.scope.key, row.indicator)] = row
    return found


def test_the_indicators_equal_hand_computed_figures(district, today, wangjing, shuangjing):
    found = figures(today)

    def tally(scope_type, key, code):
        row = found[(scope_type, key, code)]
        return (row.numerator, row.denominator) if registry.is_ratio(code) else row.numerator

    district_key = "district"
    # Staffing: A meets all six; B fails health (180 children, 1 health worker) and principals?
    # 6 classes allow 2: met. C fails everything but principals-free checks. 1 of 3.
    assert tally(ScopeType.DISTRICT, district_key, "staffing_compliance") == (1, 3)
    assert tally(ScopeType.SUBDISTRICT, wangjing.code, "staffing_compliance") == (1, 2)
    assert tally(ScopeType.SUBDISTRICT, shuangjing.code, "staffing_compliance") == (0, 1)
    assert tally(ScopeType.OWNERSHIP, "private_nonprofit", "staffing_compliance") == (0, 1)
    # Children per full-time teacher: (48 + 180 + 20) ÷ (4 + 10 + 0).
    assert tally(ScopeType.DISTRICT, district_key, "children_per_fulltime_teacher") == (248, 14)
    assert tally(ScopeType.SUBDISTRICT, shuangjing.code, "children_per_fulltime_teacher") == (20, 0)
    # Teachers certified: A 4/4, B 9/12 (the part-time two are certified: 11/12), C 1/1 → 16/17.
    assert tally(ScopeType.DISTRICT, district_key, "teacher_certified_rate") == (4 + 11 + 1, 4 + 12 + 1)
    # Principals: A 1/1, B 1/2 (the deputy lacks the principal certificate).
    assert tally(ScopeType.DISTRICT, district_key, "principal_certified_rate") == (2, 3)
    assert tally(ScopeType.SUBDISTRICT, shuangjing.code, "principal_certified_rate") == (0, 0)
    assert tally(ScopeType.DISTRICT, district_key, "certificates_expiring") == 1
    assert tally(ScopeType.SUBDISTRICT, wangjing.code, "certificates_expiring") == 1
    assert tally(ScopeType.SUBDISTRICT, shuangjing.code, "certificates_expiring") == 0


def test_the_values_targets_and_verdicts(district, today):
    found = figures(today)
    ratio = found[(ScopeType.DISTRICT, "district", "children_per_fulltime_teacher")]
    assert str(ratio.value) == "17.714285"  # 248 / 14, cut
    assert format_indicator_value("children_per_fulltime_teacher", ratio.value) == "17.7"
    assert ratio.national_met is False  # ≤ 15
    compliance = found[(ScopeType.DISTRICT, "district", "staffing_compliance")]
    assert format_indicator_value("staffing_compliance", compliance.value) == "33.3%"
    assert compliance.met is False
    assert found[(ScopeType.DISTRICT, "district", "certificates_expiring")].met is None  # no target


def test_targets_are_seeded_as_data():
    targets = {(t.indicator, t.authority, t.comparison, t.value) for t in Target.objects.filter(indicator__in=CODES)}
    assert ("children_per_fulltime_teacher", "national", "lte", 15) in targets
    assert ("staffing_compliance", "chaoyang", "gte", 1) in targets
    assert {t[0] for t in targets} == set(CODES) - {"certificates_expiring"}


def test_the_drill_down_lists_the_kindergartens_behind_the_figure(client, bureau_official, district, kg_a, kg_b, kg_c):
    from reports.services import compute_indicators

    compute_indicators(date=timezone.localdate())
    client = client_for(client, bureau_official)
    response = client.get(reverse("reports:drilldown", args=["staffing_compliance"]), {"part": "out"})
    assert response.status_code == 200
    page = response.content.decode()
    assert kg_b.name in page and kg_c.name in page and kg_a.name not in page


def test_the_dashboard_shows_the_staff_panel(client, bureau_official, district):
    response = client_for(client, bureau_official).get(reverse("reports:dashboard_panel", args=["staff"]))
    assert response.status_code == 200
    panel = response.context["staff"]
    assert (panel.operating, panel.meeting, panel.expiring) == (3, 1, 1)
    assert "教职工配备" in response.content.decode()


def test_the_panel_stays_within_the_officials_area(client, wangjing_official, district):
    response = client_for(client, wangjing_official).get(reverse("reports:dashboard_panel", args=["staff"]))
    panel = response.context["staff"]
    assert (panel.operating, panel.meeting) == (2, 1)


def test_the_panel_counts_what_the_sql_checks_count(bureau_official, district, today):
    """The panel judges each kindergarten in Python (staff.compliance); the counts are those of
    the SQL checks the indicators group by (staff.selectors.with_staffing_checks)."""
    from django.db.models import Count, Q

    from kindergartens.models import Kindergarten
    from staff.dashboard import staff_panel
    from staff.models import StaffingStandard
    from staff.selectors import with_staffing_checks

    standard = StaffingStandard.objects.for_day(today)
    expected = with_staffing_checks(Kindergarten.objects.operating(), today, standard).aggregate(
        operating=Count("pk"),
        meeting=Count("pk", filter=Q(meets_staffing=True)),
        short_per_class=Count("pk", filter=Q(meets_per_class=False)),
        short_principals=Count("pk", filter=Q(meets_principals=False)),
        uncertified=Count("pk", filter=Q(meets_teacher_certificates=False) | Q(meets_principal_certificates=False)),
    )
    panel = staff_panel(bureau_official, today=today)
    assert {name: getattr(panel, name) for name in expected} == expected
    assert (expected["operating"], expected["meeting"]) == (3, 1)
    assert expected["short_per_class"] + expected["short_principals"] + expected["uncertified"] > 0


def test_the_grouped_figures_are_the_annotated_ones(district, today):
    from kindergartens.models import Kindergarten
    from staff.models import StaffingStandard
    from staff.selectors import POST_FIGURES, annotated_staffing, grouped_staffing

    standard = StaffingStandard.objects.for_day(today)
    kindergartens = Kindergarten.objects.all()
    grouped = grouped_staffing(kindergartens, today, standard)
    annotated = list(annotated_staffing(kindergartens, today, standard))
    names = ("classes_this_year", "children_this_year", *POST_FIGURES, "teachers_certified", "principals_certified")
    for kindergarten in annotated:
        found = grouped.get(kindergarten.pk, {})
        assert {n: found.get(n, 0) for n in names} == {n: getattr(kindergarten, n) for n in names}
    assert sum(k.teachers_certified for k in annotated) > 0


def test_the_whole_district_and_a_part_count_certificate_holders_alike(district, kg_a, kg_b, today):
    """The whole district's posts test certificates through a join to their holders, a part's
    through an EXISTS per post (`staff.selectors.post_rows`): both count a post once, whatever
    number of valid certificates of a kind its person holds, and a person's every post."""
    from kindergartens.models import Kindergarten
    from staff.models import StaffingStandard
    from staff.selectors import grouped_staffing

    renewed = add_staff(kg_a, StaffRole.TEACHER)[0]  # a second valid teacher certificate, renewed early
    CertificateFactory(person=renewed.person, kind=CertificateKind.TEACHER, issued_on=today - days(10))
    principal = add_staff(kg_b, StaffRole.PRINCIPAL)[0]  # the same person teaching at A as well
    add_staff(kg_a, StaffRole.TEACHER, certified=False, person=principal.person)
    standard = StaffingStandard.objects.for_day(today)

    whole = grouped_staffing(Kindergarten.objects.all(), today, standard)
    part = grouped_staffing(Kindergarten.objects.filter(pk__in=[kg_a.pk, kg_b.pk]), today, standard)
    assert {pk: whole[pk] for pk in part} == part
    # A: 4 teachers to standard, the one renewed early and the principal of B teaching there.
    assert (part[kg_a.pk]["teachers"], part[kg_a.pk]["teachers_certified"]) == (6, 6)
    # B: two principals certified (one more now), the deputy without a principal certificate.
    assert (part[kg_b.pk]["principals"], part[kg_b.pk]["principals_certified"]) == (3, 2)


@pytest.fixture
def edge_cases(district, kg_a, shuangjing, today):
    """Beside `district`: an operating kindergarten in 双井 without posts or classes; at A a teacher
    who left yesterday, one whose certificate expired yesterday and one whose expires today."""
    KindergartenFactory(code="KGD0001", subdistrict=shuangjing, sponsor_type=SponsorType.PRIVATE_NONPROFIT)
    add_staff(kg_a, StaffRole.TEACHER, hired_on=today - days(400), left_on=today - days(1))
    for expires_on in (today - days(1), today):
        teacher = add_staff(kg_a, StaffRole.TEACHER, certified=False)[0]
        CertificateFactory(
            person=teacher.person, kind=CertificateKind.TEACHER, issued_on=today - days(400), expires_on=expires_on
        )


def test_the_grouped_source_counts_what_the_annotated_checks_count(edge_cases, today):
    """The source's derived tables give, per (sub-district, sponsor type), the sums of the
    per-kindergarten figures and checks of `with_staffing_checks` (the staff pages' form)."""
    from kindergartens.models import Kindergarten
    from staff.day_figures import GROUP_SUMS, grouped_staffing_checks
    from staff.models import StaffingStandard
    from staff.selectors import with_staffing_checks

    standard = StaffingStandard.objects.for_day(today)
    operating = Kindergarten.objects.operating()
    expected = {}
    for k in with_staffing_checks(operating, today, standard):
        sums = expected.setdefault(
            (k.subdistrict_id, k.sponsor_type), dict.fromkeys(("operating", "staffing", *GROUP_SUMS), 0)
        )
        sums["operating"] += 1
        sums["staffing"] += k.meets_staffing
        for name in GROUP_SUMS:
            sums[name] += getattr(k, name)
    rows = grouped_staffing_checks(operating, today, standard, "subdistrict", "sponsor_type")
    assert {(r.pop("subdistrict"), r.pop("sponsor_type")): r for r in rows} == expected
    assert len(expected) == 4  # the kindergarten without posts or classes (D) is a group of its own

    # By hand: the departed teacher is not counted, the certificate expired yesterday does not count.
    found = figures(today)
    district_key = "district"
    assert found[(ScopeType.DISTRICT, district_key, "staffing_compliance")].denominator == 4
    assert found[(ScopeType.DISTRICT, district_key, "staffing_compliance")].numerator == 1
    rate = found[(ScopeType.DISTRICT, district_key, "teacher_certified_rate")]
    assert (rate.numerator, rate.denominator) == (17, 19)
    ratio = found[(ScopeType.DISTRICT, district_key, "children_per_fulltime_teacher")]
    assert (ratio.numerator, ratio.denominator) == (248, 16)


def test_without_a_standard_nothing_is_met_or_certified(edge_cases, today):
    from kindergartens.models import Kindergarten
    from staff.day_figures import grouped_staffing_checks

    rows = grouped_staffing_checks(Kindergarten.objects.operating(), today, None, "sponsor_type")
    assert len(rows) == 2
    assert [(r["staffing"], r["teachers_certified"], r["principals_certified"]) for r in rows] == [(0, 0, 0)] * 2
    assert (sum(r["operating"] for r in rows), sum(r["teachers"] for r in rows)) == (4, 19)
