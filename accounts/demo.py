"""The demo logins: one user per role, where each works, and the table `seed_demo` prints.

Called by the registry's seeder (`kindergartens.demo`) once the demo kindergartens exist; this
module has no `seed()` of its own, so `seed_demo` does not run it on its own.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.db.models import QuerySet

from kindergartens.choices import LicenceStatus, SponsorType
from kindergartens.models import Kindergarten, Subdistrict

from .choices import Role
from .models import User

DEMO_PASSWORD = "chaoyang2025"
CHANGE_REASON = "演示数据"


@dataclass(frozen=True)
class DemoLogin:
    """One demo user and where they work: the whole district, a sub-district, a kindergarten or
    the kindergartens assigned to them (what each role may do there is `accounts.permissions`')."""

    username: str
    role: str
    full_name: str
    administers: bool = False
    in_subdistrict: bool = False
    in_kindergarten: bool = False
    inspects: bool = False


DEMO_LOGINS = (
    DemoLogin("admin", Role.BUREAU_ADMIN, "李文华", administers=True),
    DemoLogin("bureau", Role.BUREAU_OFFICIAL, "王静"),
    DemoLogin("wangjing", Role.SUBDISTRICT_OFFICIAL, "赵晓峰", in_subdistrict=True),
    DemoLogin("inspector", Role.INSPECTOR, "陈立群", inspects=True),
    DemoLogin("director", Role.DIRECTOR, "刘玉梅", in_kindergarten=True),
)
INSPECTOR_AREAS = ("双井", "劲松")
INSPECTOR_KINDERGARTENS = 10
DIRECTOR_SUBDISTRICT = "望京"


def seed_users(demo: QuerySet[Kindergarten]) -> int:
    """One user per role, all with the demo password (reset on every run, lockouts cleared),
    working in the demo registry `demo`."""
    director_kindergarten = (
        demo.filter(
            subdistrict__name=DIRECTOR_SUBDISTRICT,
            sponsor_type=SponsorType.EDUCATION_BUREAU,
            licence_status=LicenceStatus.LICENSED,
            branch_of__isnull=True,
            is_estate_kindergarten=False,
        )
        .order_by("code")
        .first()
    )
    inspected = list(
        demo.operating().filter(subdistrict__name__in=INSPECTOR_AREAS).order_by("code")[:INSPECTOR_KINDERGARTENS]
    )
    wangjing = Subdistrict.objects.get(name=DIRECTOR_SUBDISTRICT)
    for login in DEMO_LOGINS:
        wanted = {
            "role": login.role,
            "first_name": login.full_name,
            "last_name": "",
            "is_active": True,
            "is_staff": login.administers,
            "is_superuser": login.administers,
            "subdistrict": wangjing if login.in_subdistrict else None,
            "kindergarten": director_kindergarten if login.in_kindergarten else None,
        }
        user = User.objects.filter(username=login.username).first() or User(username=login.username)
        changed = user.pk is None or any(getattr(user, k) != v for k, v in wanted.items())
        for key, value in wanted.items():
            setattr(user, key, value)
        if user.pk is None or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed = True
        if changed:  # unchanged users are not saved, so re-runs add no history rows
            user._change_reason = CHANGE_REASON
            user.save()
        if login.inspects:
            user.assigned_kindergartens.set(inspected)
        if AccessAttempt.objects.filter(username=login.username).exists():
            axes_reset(username=login.username)
    return len(DEMO_LOGINS)


def login_rows() -> list[tuple[str, str, str, str]]:
    """(username, password, role, scope) for each demo login, read back from the database."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[d.username for d in DEMO_LOGINS]).select_related(
            "subdistrict", "kindergarten"
        )
    }
    rows = []
    for login in DEMO_LOGINS:
        user = users.get(login.username)
        if user is None:
            continue
        if user.is_bureau:
            scope = "全区（含系统管理）" if user.is_superuser else "全区"
        elif user.subdistrict_id:
            scope = f"{user.subdistrict} 的幼儿园"
        elif user.kindergarten_id:
            scope = str(user.kindergarten)
        else:
            scope = f"分配的 {user.assigned_kindergartens.count()} 所幼儿园（{'、'.join(INSPECTOR_AREAS)}）"
        rows.append((user.username, DEMO_PASSWORD, user.get_role_display(), scope))
    return rows


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])
