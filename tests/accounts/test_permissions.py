"""The permission layer: the role × action table, where each role acts, and who is told."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from accounts.choices import Role
from accounts.permissions import RULES, Act, audience, holders, kindergartens_for, may, reach
from tests.factories import UserFactory

ARCHITECTURE = Path(settings.BASE_DIR) / "docs" / "architecture.md"


def documented_rules() -> dict[str, dict[str, str]]:
    """The table under "What each role may do" in docs/architecture.md, as {action: {role: reach}}."""
    text = ARCHITECTURE.read_text(encoding="utf-8").split("## What each role may do", 1)[1]
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rules = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rules[cells[0]] = {role: cell for role, cell in zip(header[1:], cells[1:], strict=True) if cell != "—"}
    return rules


def test_the_documented_table_is_the_code():
    in_code = {
        action.value: {role.value: where.value for role, where in roles.items()} for action, roles in RULES.items()
    }

    assert documented_rules() == in_code


def test_no_module_outside_accounts_compares_a_role():
    """Role rules live in accounts/ only: elsewhere a role is at most declared, never compared."""
    comparison = re.compile(r"\.role\s*(==|!=|in\b)|role\s*==\s*[\"']")
    offenders = []
    for path in Path(settings.BASE_DIR).rglob("*"):
        parts = path.relative_to(settings.BASE_DIR).parts
        if path.suffix not in (".py", ".html") or parts[0] in {".venv", "accounts", "tests", "bench", "staticfiles"}:
            continue
        if "migrations" in parts or parts[0].startswith("wt-"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if comparison.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.django_db
class TestWhereEachRoleActs:
    def test_bureau_staff_act_everywhere_and_only_the_admin_administers(self, bureau_admin, bureau_official, kg_a):
        assert may(bureau_official, Act.MANAGE, kg_a) and may(bureau_official, Act.ENFORCE, kg_a.pk)
        assert not may(bureau_official, Act.ADMINISTER)
        assert may(bureau_admin, Act.ADMINISTER)

    def test_a_director_fills_their_own_kindergartens_reports_only(self, director_a, kg_a, kg_b):
        assert may(director_a, Act.FILL, kg_a)
        assert not may(director_a, Act.FILL, kg_b)
        assert not may(director_a, Act.MANAGE) and not may(director_a, Act.ENFORCE, kg_a)
        assert list(kindergartens_for(director_a, Act.FILL)) == [kg_a]

    def test_an_inspector_acts_on_assigned_kindergartens(self, inspector, kg_a, kg_b, kg_c):
        assert may(inspector, Act.ENFORCE) and may(inspector, Act.ENFORCE, kg_b)
        assert not may(inspector, Act.ENFORCE, kg_a)
        assert set(kindergartens_for(inspector, Act.EVALUATE)) == {kg_b, kg_c}

    def test_a_subdistrict_official_has_their_areas_dashboard(self, wangjing_official, kg_a, kg_c):
        assert may(wangjing_official, Act.DASHBOARD, kg_a)
        assert not may(wangjing_official, Act.DASHBOARD, kg_c.pk)
        assert not may(wangjing_official, Act.MANAGE)

    def test_nobody_acts_without_a_place_to_act(self, db):
        official_without_area = UserFactory.build(role=Role.SUBDISTRICT_OFFICIAL, subdistrict=None)
        inactive = UserFactory(role=Role.BUREAU_OFFICIAL, is_active=False)

        assert reach(official_without_area, Act.DASHBOARD) is None
        assert not may(inactive, Act.MANAGE)
        assert not may(None, Act.MANAGE)

    def test_superusers_count_as_administrators(self, db):
        root = UserFactory(role=Role.DIRECTOR, is_superuser=True, kindergarten=None)

        assert may(root, Act.ADMINISTER) and may(root, Act.MANAGE)

    def test_holders_are_the_active_users_whose_role_acts(self, inspector, director_a, bureau_official):
        UserFactory(role=Role.INSPECTOR, is_active=False)

        assert list(holders(Act.RECORD)) == [inspector]


@pytest.mark.django_db
def test_a_reminder_reaches_directors_officials_and_named_people_still_in_scope(
    director_a, wangjing_official, inspector, bureau_official, kg_a, kg_b, wangjing
):
    directors, officials, followers = audience(
        kindergarten_ids={kg_a.pk, kg_b.pk},
        subdistrict_ids={wangjing.pk},
        named={inspector.pk, bureau_official.pk},
    )

    assert directors == {kg_a.pk: [director_a.pk]}
    assert officials == {wangjing.pk: [wangjing_official.pk]}
    # The inspector is assigned kg_b (and kg_c), not kg_a; bureau staff see both.
    assert followers == {(inspector.pk, kg_b.pk), (bureau_official.pk, kg_a.pk), (bureau_official.pk, kg_b.pk)}
