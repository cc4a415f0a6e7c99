"""The demo data: district scale, a plausible mix, valid rows, re-runnable, and working logins."""

import datetime
import random
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse

from accounts import demo as logins
from accounts.choices import Role
from accounts.models import User
from kindergartens import demo
from kindergartens.choices import (
    EstateStage,
    InclusiveStatus,
    LicenceStatus,
    NamingRuleCategory,
    SponsorType,
    SubdistrictKind,
)
from kindergartens.models import Kindergarten, Subdistrict

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 11, 1)


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    # Demo users get real passwords; a cheap hasher keeps repeated seeding fast in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed_command() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def seed_registry() -> str:
    """Only this app's seeder: later apps' demo data would pin the rows these tests delete."""
    return demo.seed(random.Random(2025), today=TODAY)


def demo_rows():
    return Kindergarten.objects.filter(code__startswith=demo.DEMO_CODE_PREFIX)


def snapshot() -> list[tuple]:
    return list(
        demo_rows()
        .order_by("code")
        .values_list(
            "code",
            "name",
            "subdistrict__name",
            "sponsor_type",
            "inclusive_status",
            "licence_status",
            "approved_capacity",
            "latitude",
            "longitude",
            "branch_of__code",
            "estate_stage",
            "recognition_date",
        )
    )


def test_it_seeds_a_district_sized_registry():
    demo.seed(random.Random(2025), today=TODAY)
    rows = demo_rows()

    assert 350 <= rows.count() <= 450
    assert 25 <= rows.filter(licence_status=LicenceStatus.COMMUNITY_POINT).count() <= 35
    assert 5 <= rows.filter(licence_status=LicenceStatus.UNLICENSED).count() <= 8
    assert 1 <= rows.filter(licence_status__in=[LicenceStatus.SUSPENDED, LicenceStatus.CLOSED]).count() <= 2

    licensed = rows.filter(licence_status=LicenceStatus.LICENSED)
    public_share = licensed.public().count() / licensed.count()
    assert 0.5 <= public_share <= 0.6
    private = licensed.private()
    inclusive_share = private.filter(inclusive_status=InclusiveStatus.INCLUSIVE_PRIVATE).count() / private.count()
    assert 0.6 <= inclusive_share <= 0.75
    sponsors = set(rows.values_list("sponsor_type", flat=True))
    assert sponsors == set(SponsorType.values)
    # The education bureau runs most public kindergartens.
    public = licensed.public()
    assert public.filter(sponsor_type=SponsorType.EDUCATION_BUREAU).count() > public.count() / 2


def test_it_covers_all_43_subdistricts_with_more_where_families_live():
    demo.seed(random.Random(2025), today=TODAY)
    per_area = dict(
        Subdistrict.objects.annotate(
            n=Count("kindergartens", filter=Q(kindergartens__code__startswith=demo.DEMO_CODE_PREFIX))
        ).values_list("name", "n")
    )

    assert len(per_area) == 43
    assert all(count > 0 for count in per_area.values())
    assert per_area["望京"] > per_area["建外"]
    assert per_area["来广营"] > per_area["首都机场"]
    assert max(per_area, key=per_area.get) == "望京"


def test_it_models_the_plans_special_cases():
    demo.seed(random.Random(2025), today=TODAY)
    rows = demo_rows()

    village_centres = rows.filter(is_village_centre=True)
    assert village_centres.count() >= 5
    assert not village_centres.exclude(subdistrict__kind=SubdistrictKind.AREA).exists()

    branches = rows.filter(branch_of__isnull=False).select_related("branch_of")
    assert branches.count() >= 5
    for branch in branches:
        assert branch.branch_of.branch_of_id is None
        assert branch.sponsor_type == SponsorType.EDUCATION_BUREAU
        assert branch.name.startswith(branch.branch_of.name) and branch.name.endswith("分园")

    estates = rows.filter(is_estate_kindergarten=True)
    assert 35 <= estates.count() <= 45
    assert set(estates.values_list("estate_stage", flat=True)) == set(EstateStage.values)
    for gap in ("estate_planning_gap", "estate_construction_gap", "estate_handover_gap", "estate_use_gap"):
        assert estates.filter(**{gap: True}).exists(), gap
    # Kindergartens not yet open have no approved places.
    assert not estates.exclude(estate_stage=EstateStage.IN_USE).exclude(approved_capacity=0).exists()

    entrusted = rows.exclude(entrusted_management_expiry=None)
    assert entrusted.filter(entrusted_management_expiry__lt=TODAY).exists()
    assert entrusted.filter(entrusted_management_expiry__gte=TODAY).exists()

    recognised = rows.filter(inclusive_status=InclusiveStatus.INCLUSIVE_PRIVATE)
    lapsed = [k for k in recognised if not k.is_inclusive_on(TODAY)]
    assert 0 < len(lapsed) < recognised.count() / 2

    international = rows.filter(international_seats__gt=0)
    assert 3 <= international.count() <= 10
    assert rows.filter(has_toddler_classes=True).exists()


def test_it_writes_only_rows_the_forms_would_accept():
    demo.seed(random.Random(2025), today=TODAY)
    rows = list(demo_rows().select_related("branch_of", "subdistrict"))

    for kindergarten in rows:
        kindergarten.full_clean()
        assert Decimal("39.82") <= kindergarten.latitude <= Decimal("40.10")
        assert Decimal("116.40") <= kindergarten.longitude <= Decimal("116.65")
        if kindergarten.licence_status == LicenceStatus.COMMUNITY_POINT:
            assert 30 <= kindergarten.approved_capacity <= 90
        elif kindergarten.licence_status != LicenceStatus.UNLICENSED and kindergarten.estate_stage in (
            "",
            EstateStage.IN_USE,
        ):
            assert 90 <= kindergarten.approved_capacity <= 450, kindergarten
    assert len({k.name for k in rows}) == len(rows)
    # Every row was bulk-created with its first history entry.
    for kindergarten in rows[:20]:
        assert kindergarten.history.filter(history_type="+").count() == 1


def test_it_flags_about_ten_names_that_break_the_naming_rules():
    demo.seed(random.Random(2025), today=TODAY)
    flagged = demo_rows().filter(name_compliant=False)

    assert 8 <= flagged.count() <= 14
    assert not flagged.public().exists()
    categories = {v["category"] for k in flagged for v in k.name_violations}
    assert categories == set(NamingRuleCategory.values)
    names = set(flagged.values_list("name", flat=True))
    assert any("剑桥" in n for n in names) and any("双语" in n for n in names)
    # The verdict was stored with the first history row, not patched in a second one.
    first = flagged.first()
    assert first.history.count() == 1 and first.history.first().name_compliant is False


def test_it_is_idempotent():
    seed_command()
    before = snapshot()
    history_rows = Kindergarten.history.count()
    user_history_rows = User.history.count()

    seed_command()

    assert snapshot() == before
    assert Kindergarten.history.count() == history_rows
    assert User.history.count() == user_history_rows
    assert User.objects.filter(username__in=[d.username for d in logins.DEMO_LOGINS]).count() == len(logins.DEMO_LOGINS)


def test_it_is_deterministic():
    seed_registry()
    first = snapshot()
    User.objects.filter(username__in=[d.username for d in logins.DEMO_LOGINS]).delete()
    demo_rows().filter(branch_of__isnull=False).delete()
    demo_rows().delete()

    seed_registry()

    assert snapshot() == first


def test_it_leaves_kindergartens_edited_in_the_demo_alone():
    seed_registry()
    kindergarten = demo_rows().order_by("code").first()
    kindergarten.phone = "010-12345678"
    kindergarten.save()
    removed = demo_rows().filter(branch_of__isnull=True, branches__isnull=True).order_by("-code").first()
    removed_code = removed.code
    removed.delete()

    seed_registry()

    kindergarten.refresh_from_db()
    assert kindergarten.phone == "010-12345678"
    assert demo_rows().filter(code=removed_code).exists()


def test_it_resets_demo_passwords_and_the_logins_work(client):
    seed_registry()
    admin = User.objects.get(username="admin")
    admin.set_password("something-else-1")
    admin.save()

    seed_registry()

    for login in logins.DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        assert user.check_password(logins.DEMO_PASSWORD), login.username
        assert user.role == login.role
        client.logout()
        response = client.post(
            reverse("login"), {"username": login.username, "password": logins.DEMO_PASSWORD}, REMOTE_ADDR="127.0.0.9"
        )
        assert response.status_code == 302, login.username
        assert client.session["_auth_user_id"] == str(user.pk)


def test_it_gives_each_demo_login_its_scope():
    seed_registry()
    users = {u.username: u for u in User.objects.filter(username__in=[d.username for d in logins.DEMO_LOGINS])}

    assert users["admin"].is_superuser and users["admin"].is_staff
    assert Kindergarten.objects.visible_to(users["bureau"]).count() == Kindergarten.objects.count()
    wangjing = Kindergarten.objects.visible_to(users["wangjing"])
    assert wangjing.exists() and set(wangjing.values_list("subdistrict__name", flat=True)) == {"望京"}
    assert Kindergarten.objects.visible_to(users["inspector"]).count() == logins.INSPECTOR_KINDERGARTENS
    director = users["director"]
    assert director.role == Role.DIRECTOR
    assert director.kindergarten.subdistrict.name == "望京" and director.kindergarten.is_public
    assert list(Kindergarten.objects.visible_to(director)) == [director.kindergarten]


def test_it_prints_the_demo_logins():
    output = seed_command()

    for login in logins.DEMO_LOGINS:
        assert login.username in output
    assert logins.DEMO_PASSWORD in output
    assert "望京" in output


def test_it_plans_the_same_registry_from_the_same_seed():
    subdistricts = {sd.name: sd for sd in Subdistrict.objects.all()}

    def plan(seed: int) -> list[tuple]:
        slots = demo.build_registry(random.Random(seed), subdistricts, TODAY)
        return [(s.row.code, s.row.name, s.row.approved_capacity, s.row.latitude, s.branch_of_code) for s in slots]

    assert plan(2025) == plan(2025)
    assert plan(2025) != plan(2026)
