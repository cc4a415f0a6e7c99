"""What each role may do: the one table of actions, and the one function every check asks.

Rows a user may see or change are `restrict(user, action)`'s business (`accounts.scoping`);
this module says which *actions* a role takes, and where: in the whole district, in its own
sub-district, on the kindergartens assigned to it, or on its own kindergarten. Pages, API views,
services, reminders and templates (`{% if user|may:"enforce" %}`) ask `may()`; nobody outside
`accounts/` compares `user.role` with anything. `docs/architecture.md` carries the same table,
and a test fails when the two disagree.

Rules that depend on the object's state (a draft, a published result, membership of an
evaluation team) stay with the domain: the domain first asks `may()` whether the user takes the
action on that kindergarten at all, then checks its own state.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .scoping import SystemScope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


class Act(enum.StrEnum):
    """The actions a role may take (the rows of the table)."""

    MANAGE = "manage"  # registry records, imports, reference data, school years, official figures
    REVIEW = "review"  # accept or return reports and self-assessments; publish evaluations
    FILL = "fill"  # the kindergarten's own reports: enrolment, self-assessment
    REPORT = "report"  # answer for the kindergarten: improvements on issues, rectification
    RECORD = "record"  # record an external evaluation (as a member of its team)
    EVALUATE = "evaluate"  # draw up issue lists, verify and correct issues
    ENFORCE = "enforce"  # rectification orders, unlicensed-kindergarten and conduct cases
    DASHBOARD = "dashboard"  # the indicator dashboard and its early warnings
    SUPERVISE = "supervise"  # major-hazard supervision: interviews and public notices on escalated orders
    ADMINISTER = "administer"  # users, tokens, the admin site
    APPEAL = "appeal"  # appeal against an event of the kindergarten's credit record (decided by review)


class Reach(enum.StrEnum):
    """Where a role takes an action (the cells of the table)."""

    DISTRICT = "district"  # every kindergarten
    AREA = "area"  # the kindergartens of the user's own sub-district
    ASSIGNED = "assigned"  # the kindergartens assigned to the user (inspectors)
    OWN = "own"  # the user's own kindergarten (directors)


_BUREAU = {Role.BUREAU_ADMIN: Reach.DISTRICT, Role.BUREAU_OFFICIAL: Reach.DISTRICT}

# Role × action. A role missing from an action's row does not take that action anywhere.
RULES: dict[Act, dict[Role, Reach]] = {
    Act.MANAGE: {**_BUREAU},
    Act.REVIEW: {**_BUREAU},
    Act.FILL: {Role.DIRECTOR: Reach.OWN},
    Act.REPORT: {Role.DIRECTOR: Reach.OWN},
    Act.RECORD: {Role.INSPECTOR: Reach.ASSIGNED},
    Act.EVALUATE: {**_BUREAU, Role.INSPECTOR: Reach.ASSIGNED},
    Act.ENFORCE: {**_BUREAU, Role.INSPECTOR: Reach.ASSIGNED},
    Act.DASHBOARD: {**_BUREAU, Role.SUBDISTRICT_OFFICIAL: Reach.AREA},
    Act.SUPERVISE: {**_BUREAU, Role.SUBDISTRICT_OFFICIAL: Reach.AREA},
    Act.ADMINISTER: {Role.BUREAU_ADMIN: Reach.DISTRICT},
    Act.APPEAL: {Role.DIRECTOR: Reach.OWN},
}


def role_of(user: User | AnonymousUser | None) -> Role | None:
    """The role whose rules apply: none for anonymous or inactive users; superusers administer."""
    # SYSTEM reads the whole district but takes no action: nothing is done in its name.
    if user is None or isinstance(user, SystemScope) or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.BUREAU_ADMIN
    return Role(user.role) if user.role else (Role.BUREAU_OFFICIAL if user.is_bureau else None)


def reach(user: User | AnonymousUser | None, action: Act | str) -> Reach | None:
    """Where `user` takes `action`, or None when they do not take it at all."""
    role = role_of(user)
    if role is None:
        return None
    found = RULES[Act(action)].get(role)
    # A sub-district official without a sub-district, or a director without a kindergarten,
    # has nowhere to act.
    if found == Reach.AREA and not user.subdistrict_id:
        return None
    if found == Reach.OWN and not user.kindergarten_id:
        return None
    return found


def may(user: User | AnonymousUser | None, action: Act | str, kindergarten=None) -> bool:
    """Whether `user` takes `action` — at all (no `kindergarten`), or on this kindergarten.

    `kindergarten` is a Kindergarten or its primary key.
    """
    where = reach(user, action)
    if where is None:
        return False
    if kindergarten is None or where == Reach.DISTRICT:
        return True
    pk = getattr(kindergarten, "pk", kindergarten)
    if where == Reach.OWN:
        return user.kindergarten_id == pk
    if where == Reach.ASSIGNED:
        return user.assigned_kindergartens.filter(pk=pk).exists()
    subdistrict_id = getattr(kindergarten, "subdistrict_id", None)
    if subdistrict_id is None:
        from kindergartens.models import Kindergarten  # kindergartens imports accounts

        subdistrict_id = Kindergarten.objects.filter(pk=pk).values_list("subdistrict_id", flat=True).first()
    return subdistrict_id == user.subdistrict_id


REFUSALS = {
    Act.MANAGE: _("只有区教委工作人员可以执行此操作。"),
    Act.REVIEW: _("只有区教委工作人员可以执行此操作。"),
    Act.ADMINISTER: _("只有区教委管理员可以执行此操作。"),
}


def require(user: User | AnonymousUser | None, action: Act | str, kindergarten=None, message: str = "") -> None:
    """`may()` or PermissionDenied, with `message` or the action's usual refusal."""
    if not may(user, action, kindergarten):
        raise PermissionDenied(message or REFUSALS.get(Act(action), _("您没有执行此操作的权限。")))


def kindergartens_for(user: User | AnonymousUser | None, action: Act | str):
    """The kindergartens on which `user` takes `action` (a queryset; empty when nowhere)."""
    from kindergartens.models import Kindergarten  # kindergartens imports accounts

    where = reach(user, action)
    if where is None:
        return Kindergarten.objects.none()
    if where == Reach.DISTRICT:
        return Kindergarten.objects.all()
    if where == Reach.OWN:
        return Kindergarten.objects.filter(pk=user.kindergarten_id)
    if where == Reach.ASSIGNED:
        return Kindergarten.objects.filter(pk__in=user.assigned_kindergartens.values("pk"))
    return Kindergarten.objects.filter(subdistrict_id=user.subdistrict_id)


def holders(action: Act | str):
    """Active users whose role takes `action` somewhere (e.g. who may be put on an evaluation team)."""
    from .models import User

    roles = list(RULES[Act(action)])
    users = User.objects.filter(is_active=True, role__in=roles)
    if Role.BUREAU_ADMIN in roles:
        users = users | User.objects.filter(is_active=True, is_superuser=True)
    return users


# --- who is told ----------------------------------------------------------------------------------


def audience(
    *, kindergarten_ids: Iterable[int], subdistrict_ids: Iterable[int], named: Iterable[int]
) -> tuple[dict[int, list[int]], dict[int, list[int]], set[tuple[int, int]]]:
    """The people a reminder about these kindergartens reaches, found in two queries.

    Returns (directors per kindergarten, sub-district officials per sub-district, and the
    (user, kindergarten) pairs among the `named` users — an order's issuer, say — who may still
    see that kindergarten). Only active users count.
    """
    from .models import User

    kindergarten_ids, subdistrict_ids, named = set(kindergarten_ids), set(subdistrict_ids), set(named)
    directors: dict[int, list[int]] = {}
    officials: dict[int, list[int]] = {}
    roles: dict[int, tuple[Role, int | None, int | None]] = {}
    people = User.objects.filter(is_active=True).filter(
        Q(role=Role.DIRECTOR, kindergarten_id__in=kindergarten_ids)
        | Q(role=Role.SUBDISTRICT_OFFICIAL, subdistrict_id__in=subdistrict_ids)
        | Q(pk__in=named)
    )
    for user in people.only("pk", "role", "is_active", "is_superuser", "kindergarten_id", "subdistrict_id"):
        role = role_of(user)
        if role == Role.DIRECTOR and user.kindergarten_id in kindergarten_ids:
            directors.setdefault(user.kindergarten_id, []).append(user.pk)
        if role == Role.SUBDISTRICT_OFFICIAL and user.subdistrict_id in subdistrict_ids:
            officials.setdefault(user.subdistrict_id, []).append(user.pk)
        if user.pk in named:
            roles[user.pk] = (role, user.kindergarten_id, user.subdistrict_id)
    followers = _still_in_scope(roles, kindergarten_ids)
    return directors, officials, followers


def _still_in_scope(
    roles: dict[int, tuple[Role, int | None, int | None]], kindergarten_ids: set[int]
) -> set[tuple[int, int]]:
    """Of the named users, the (user, kindergarten) pairs where the user may see the kindergarten."""
    from kindergartens.models import Kindergarten

    from .models import User

    pairs: set[tuple[int, int]] = set()
    inspectors = [pk for pk, (role, _k, _s) in roles.items() if role == Role.INSPECTOR]
    if inspectors:
        pairs |= set(
            User.assigned_kindergartens.through.objects.filter(
                user_id__in=inspectors, kindergarten_id__in=kindergarten_ids
            ).values_list("user_id", "kindergarten_id")
        )
    areas = {pk: s for pk, (role, _k, s) in roles.items() if role == Role.SUBDISTRICT_OFFICIAL}
    if areas:
        where = dict(Kindergarten.objects.filter(pk__in=kindergarten_ids).values_list("pk", "subdistrict_id"))
        pairs |= {(pk, kg) for pk, s in areas.items() for kg, kg_s in where.items() if kg_s == s}
    for pk, (role, own, _s) in roles.items():
        if role in (Role.BUREAU_ADMIN, Role.BUREAU_OFFICIAL):
            pairs |= {(pk, kg) for kg in kindergarten_ids}
        elif role == Role.DIRECTOR and own in kindergarten_ids:
            pairs.add((pk, own))
    return pairs
