"""The dashboard's staff panel: its certificate counts and posts equal the lists' definitions, in
a fixed number of queries."""

import pytest

from kindergartens.choices import LicenceStatus
from kindergartens.models import Kindergarten
from staff.choices import CertificateKind, StaffRole
from staff.dashboard import staff_panel
from staff.models import StaffingStandard, StaffMember
from staff.selectors import certificate_worries, expired_certificates, expiring_certificates
from tests.factories import KindergartenFactory

from .conftest import add_classes, add_staff, days
from .factories import CertificateFactory, PersonFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

HEALTH = CertificateKind.HEALTH


def certificate(person, today, expires_in, *, kind=HEALTH, issued_ago=300):
    expires = None if expires_in is None else today + days(expires_in)
    return CertificateFactory(person=person, kind=kind, issued_on=today - days(issued_ago), expires_on=expires)


@pytest.fixture
def worries(kg_a, kg_b, kg_c, today):
    """Certificates around the 90-day horizon and their renewals (expected: 7 expiring, 3 expired
    for the district; 6 and 2 for 望京 (A, B))."""

    def holder(kindergarten=kg_a, **post):
        return StaffMemberFactory(kindergarten=kindergarten, role=StaffRole.HEALTH, **post).person

    certificate(holder(), today, 30)  # expiring
    certificate(holder(), today, 0)  # expiring: valid through today
    certificate(holder(), today, 90)  # expiring: on the horizon
    certificate(holder(), today, 91)  # beyond the horizon
    renewed = holder()
    certificate(renewed, today, 30)
    certificate(renewed, today, 400, issued_ago=1)  # renewed beyond the horizon: no worry
    twice = holder()  # two certificates both expiring: both count
    certificate(twice, today, 20)
    certificate(twice, today, 60, issued_ago=10)
    other_kind = holder()  # a renewal of another kind renews nothing
    certificate(other_kind, today, -5)  # expired
    certificate(other_kind, today, None, kind=CertificateKind.SECURITY)
    replaced = holder()
    certificate(replaced, today, -5)
    certificate(replaced, today, None, issued_ago=5)  # renewed: not expired
    not_yet = holder()
    certificate(not_yet, today, -5)  # expired: its renewal is issued only tomorrow
    certificate(not_yet, today, None, issued_ago=-1)
    two_posts = holder()  # holds posts at A and B: counted once
    StaffMemberFactory(person=two_posts, kindergarten=kg_b)
    certificate(two_posts, today, 10)  # expiring (not counted for 望京 twice either)
    certificate(holder(kg_c), today, 10)  # 双井: the district's only
    certificate(holder(kg_c), today, -1)  # 双井: expired
    certificate(holder(left_on=today - days(1)), today, 10)  # left: not a holder
    certificate(PersonFactory(), today, 10)  # no post at all
    unlicensed = KindergartenFactory(subdistrict=kg_c.subdistrict, licence_status=LicenceStatus.UNLICENSED)
    certificate(holder(unlicensed), today, 10)  # not operating


def old_counts(today, posts, notice):
    """The panel's definition before `certificate_worries`: the lists' querysets, counted."""
    holders = posts.values("person")
    return {
        "expiring": expiring_certificates(today, notice).filter(person__in=holders).count(),
        "expired": expired_certificates(today).filter(person__in=holders).count(),
    }


@pytest.mark.usefixtures("worries")
def test_the_certificate_counts_equal_the_lists(today, kg_a):
    operating = Kindergarten.objects.operating()
    for kindergartens, expected in (
        (operating, {"expiring": 7, "expired": 3}),
        (operating.filter(subdistrict=kg_a.subdistrict), {"expiring": 6, "expired": 2}),
    ):
        posts = StaffMember.objects.on(today).filter(kindergarten__in=kindergartens.values("pk"))
        assert certificate_worries(today, 90, posts) == old_counts(today, posts, 90) == expected
    posts = StaffMember.objects.on(today)
    assert certificate_worries(today, None, posts)["expiring"] == 0  # no standard: nothing is expiring
    assert certificate_worries(today, 0, posts) == old_counts(today, posts, 0)


@pytest.mark.usefixtures("worries")
def test_the_panel_counts_the_posts_and_certificates_in_five_queries(
    bureau_official, today, kg_a, kg_b, django_assert_num_queries
):
    add_classes(kg_a, 20)
    add_staff(kg_a, StaffRole.PRINCIPAL)
    add_staff(kg_b, StaffRole.TEACHER, 2)
    with django_assert_num_queries(5):
        panel = staff_panel(bureau_official, today=today)
    operating = Kindergarten.objects.operating().values("pk")
    posts = StaffMember.objects.on(today).filter(kindergarten__in=operating)
    assert panel.staff == posts.count() == 16
    assert (panel.expiring, panel.expired) == (7, 3)
    assert panel.notice_days == StaffingStandard.objects.for_day(today).expiry_notice_days
