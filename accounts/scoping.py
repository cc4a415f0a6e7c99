"""The one mechanism that decides which rows a user may see and change.

Every model whose rows belong to a kindergarten or a sub-district gets its manager from a
`ScopedQuerySet` subclass that says how to reach them (`scope`). Pages (`ScopedQuerysetMixin`),
the API (`ScopedViewSetMixin`), exports and reports all call `restrict(user, action)`, so a
new resource cannot forget the rules, which are:

- bureau staff (and superusers): the whole district;
- a sub-district official: the rows of their own sub-district (read only unless the model's
  `change_roles` says otherwise);
- an inspector: the kindergartens assigned to them;
- a director: their own kindergarten;
- anyone else, anonymous or inactive: nothing.

A row outside the scope does not exist for the user: detail pages and the API answer 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from django.db import models

from .choices import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

Action = Literal["view", "change"]
VIEW: Action = "view"
CHANGE: Action = "change"


@dataclass(frozen=True)
class ScopePaths:
    """ORM lookups from a model to the primary key of its kindergarten and its sub-district.

    `kindergarten` is None for models that sit above kindergartens (the sub-district itself).
    """

    kindergarten: str | None
    subdistrict: str


class SystemScope:
    """The principal of unattended work (the nightly job, its PDF): the whole district, as nobody.

    Passed where a user is expected, so "everything" is said explicitly instead of with None
    (None, like an anonymous user, means nothing). It never writes history in anyone's name.
    """

    is_authenticated = True
    is_active = True
    is_bureau = True
    is_superuser = False
    is_director = False
    pk = None
    role = None
    subdistrict_id = None
    kindergarten_id = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemScope()


class ScopedQuerySet(models.QuerySet):
    scope = ScopePaths(kindergarten="kindergarten", subdistrict="kindergarten__subdistrict")
    # Roles other than bureau staff that may change the rows they can see.
    change_roles: frozenset[str] = frozenset({Role.DIRECTOR})
    # Roles that see no row of the model at all, whatever their reach (cases are not a director's business).
    hidden_from: ClassVar[frozenset[str]] = frozenset()
    # A queryset method a role's rows pass through too: {Role.DIRECTOR: "published"} shows a
    # director only what the bureau has published.
    narrowed_for: ClassVar[Mapping[str, str]] = {}

    def restrict(self, user: User | AnonymousUser | None, action: Action = VIEW) -> ScopedQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_bureau:
            return self
        if user.role in self.hidden_from or (action != VIEW and user.role not in self.change_roles):
            return self.none()
        rows = self._within_reach(user)
        method = self.narrowed_for.get(user.role)
        return getattr(rows, method)() if method else rows

    def _within_reach(self, user: User) -> ScopedQuerySet:
        if user.role == Role.SUBDISTRICT_OFFICIAL and user.subdistrict_id:
            return self.filter(**{self.scope.subdistrict: user.subdistrict_id})
        if user.role == Role.DIRECTOR and user.kindergarten_id:
            return self._for_kindergartens(user.kindergarten_id, many=False)
        if user.role == Role.INSPECTOR:
            return self._for_kindergartens(user.assigned_kindergartens.values("pk"), many=True)
        return self.none()

    def visible_to(self, user: User | AnonymousUser | None) -> ScopedQuerySet:
        return self.restrict(user, VIEW)

    def _for_kindergartens(self, kindergartens, *, many: bool) -> ScopedQuerySet:
        lookup = "__in" if many else ""
        if self.scope.kindergarten is not None:
            return self.filter(**{f"{self.scope.kindergarten}{lookup}": kindergartens})
        # Above kindergarten level: the sub-districts those kindergartens belong to.
        from kindergartens.models import Kindergarten

        subdistricts = Kindergarten.objects.filter(**{f"pk{lookup}": kindergartens}).values("subdistrict")
        return self.filter(**{f"{self.scope.subdistrict}__in": subdistricts})


class DistrictWideQuerySet(ScopedQuerySet):
    """Reference data of the whole district (framework versions, cycles, school years, targets,
    class-size limits, naming rules): everyone signed in reads it, only bureau staff change it.
    `visible_to_everyone` may hold back what is not yet for others' eyes (a draft handbook)."""

    change_roles = frozenset()

    def restrict(self, user: User | AnonymousUser | None, action: Action = VIEW) -> DistrictWideQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_bureau:
            return self
        if action != VIEW:
            return self.none()
        return self.visible_to_everyone()

    def visible_to_everyone(self) -> DistrictWideQuerySet:
        return self


class MembershipQuerySet(ScopedQuerySet):
    """Rows that belong to their members (evaluation teams): bureau staff see and change them
    all, a member reads their own, nobody else sees them."""

    member_path = "members"
    # The action membership is for (`accounts.permissions.Act`): a member whose role no longer
    # takes it (an evaluator become a director, say) no longer sees the rows.
    member_action: ClassVar[str | None] = None

    def restrict(self, user: User | AnonymousUser | None, action: Action = VIEW) -> MembershipQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_bureau:
            return self
        if action != VIEW:
            return self.none()
        if self.member_action is not None:
            from .permissions import may  # permissions imports this module

            if not may(user, self.member_action):
                return self.none()
        return self.filter(**{self.member_path: user}).distinct()


def scope_key(user: User | SystemScope) -> str:
    """A string that is equal for two users only if every scoped queryset shows them the same rows
    and every permission check answers them alike: what a cache shared between users is keyed on.

    Bureau staff share one per role (the administrator may do more than an official); a
    sub-district official shares theirs with the other officials of the same sub-district; anyone
    else (a director, an inspector with their own assignments) has a key of their own.
    """
    if user.is_bureau:
        return f"district:{user.role}:{int(bool(user.is_superuser))}"
    if user.role == Role.SUBDISTRICT_OFFICIAL:
        return f"subdistrict:{user.subdistrict_id}"
    return f"user:{user.pk}"
