"""Builders for the enforcement tests: one order, unlicensed case and conduct case per place the
persona fixtures (A, B in 望京; C in 双井) can or cannot see."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils import timezone

from inspections.choices import ConductCaseKind, OrderReason
from inspections.services import enforcement
from tests.factories import subdistrict


def days(n: int) -> datetime.date:
    """`n` days from today (negative: in the past)."""
    return timezone.localdate() + datetime.timedelta(days=n)


def order(kindergarten, user, *, issued: int = -40, deadline: int = 20, reason: str = OrderReason.THREE_DEFENCES):
    return enforcement.order_issue(
        kindergarten=kindergarten,
        user=user,
        reason=reason,
        description="视频监控存在盲区",
        issued_on=days(issued),
        deadline=days(deadline),
    )


def unlicensed_case(user, area, *, kindergarten=None, name: str = "无证看护点", discovered: int = -30):
    return enforcement.unlicensed_case_create(
        user=user, subdistrict=area, kindergarten=kindergarten, name=name, discovered_on=days(discovered)
    )


def conduct_case(user, area, *, kind: str = ConductCaseKind.TRAINING_INSTITUTION, kindergarten=None):
    return enforcement.conduct_case_create(
        user=user,
        kind=kind,
        subdistrict=area,
        kindergarten=kindergarten,
        institution_name="启智培训" if kind == ConductCaseKind.TRAINING_INSTITUTION else "",
        reported_on=days(-10),
        description="案情说明",
    )


def build_world(personas, kg_a, kg_b, kg_c) -> SimpleNamespace:
    """Orders for A, B and C; unlicensed cases in 望京 (one naming B) and 双井 (naming C); conduct
    cases in 望京 (a training institution, and one about A) and about C."""
    bureau = personas["bureau_official"]
    wangjing, shuangjing = subdistrict("望京"), subdistrict("双井")
    return SimpleNamespace(
        bureau=bureau,
        order_a=order(kg_a, bureau),
        order_b=order(kg_b, bureau),
        order_c=order(kg_c, bureau, deadline=-5),  # overdue
        case_w=unlicensed_case(bureau, wangjing, name="望京小天使看护点"),
        case_wb=unlicensed_case(bureau, wangjing, kindergarten=kg_b, name="望京花园分部"),
        case_s=unlicensed_case(bureau, shuangjing, kindergarten=kg_c, name="双井阳光分部"),
        conduct_w=conduct_case(bureau, wangjing),
        conduct_a=conduct_case(bureau, wangjing, kind=ConductCaseKind.CORPORAL_PUNISHMENT, kindergarten=kg_a),
        conduct_c=conduct_case(bureau, shuangjing, kind=ConductCaseKind.ETHICS, kindergarten=kg_c),
    )


# Which rows of `build_world` each persona sees.
VISIBLE = {
    "bureau_admin": {
        "orders": {"order_a", "order_b", "order_c"},
        "unlicensed": {"case_w", "case_wb", "case_s"},
        "conduct": {"conduct_w", "conduct_a", "conduct_c"},
    },
    "bureau_official": {
        "orders": {"order_a", "order_b", "order_c"},
        "unlicensed": {"case_w", "case_wb", "case_s"},
        "conduct": {"conduct_w", "conduct_a", "conduct_c"},
    },
    "wangjing_official": {
        "orders": {"order_a", "order_b"},
        "unlicensed": {"case_w", "case_wb"},
        "conduct": {"conduct_w", "conduct_a"},
    },
    "director_a": {"orders": {"order_a"}, "unlicensed": set(), "conduct": set()},
    "director_b": {"orders": {"order_b"}, "unlicensed": set(), "conduct": set()},
    "inspector": {
        "orders": {"order_b", "order_c"},
        "unlicensed": {"case_wb", "case_s"},
        "conduct": {"conduct_c"},
    },
}
ALL = {
    "orders": {"order_a", "order_b", "order_c"},
    "unlicensed": {"case_w", "case_wb", "case_s"},
    "conduct": {"conduct_w", "conduct_a", "conduct_c"},
}
