"""Writes of the warnings follow-up (see `reports.follow_up` for the model and the reopening rule).

Who acts: staff who read the dashboard district-wide (`Act.DASHBOARD` with district reach: the
bureau). Sub-district officials read their own area's warnings and follow-ups but do not change
them. Owners are chosen among the same people.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Max, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.permissions import Act, Reach, holders, reach

from .follow_up import FollowUpStatus, WarningFollowUp, WarningNote
from .models import EarlyWarning


def may_follow_up(user) -> bool:
    return reach(user, Act.DASHBOARD) == Reach.DISTRICT


def owner_choices():
    """Active users who may act on warnings district-wide: the only possible owners."""
    people = [u.pk for u in holders(Act.DASHBOARD) if may_follow_up(u)]
    return holders(Act.DASHBOARD).filter(pk__in=people).order_by("username")


def identity(warning: EarlyWarning) -> dict:
    return {
        "kind": warning.kind,
        "subdistrict_id": warning.subdistrict_id,
        "kindergarten_key": warning.kindergarten_id or 0,
        "year": warning.year,
    }


def find_follow_up(warning: EarlyWarning) -> WarningFollowUp | None:
    return WarningFollowUp.objects.filter(**identity(warning)).select_related("owner").first()


def latest_date(warning: EarlyWarning) -> datetime.date:
    """The statistical date of the latest warning with this one's identity."""
    same = EarlyWarning.objects.filter(
        kind=warning.kind,
        subdistrict_id=warning.subdistrict_id,
        year=warning.year,
        kindergarten_id=warning.kindergarten_id,
    )
    return same.aggregate(latest=Max("date"))["latest"] or warning.date


def _validated(instance, user):
    instance.full_clean()
    instance._history_user = user if getattr(user, "pk", None) else None
    instance.save()
    return instance


@transaction.atomic
def warning_follow_up(
    *, warning: EarlyWarning, user, status: str | None = None, owner=..., note: str = ""
) -> WarningFollowUp:
    """Change a warning's follow-up: its status, its owner (None clears it; omitted keeps it), a note."""
    if not may_follow_up(user):
        raise PermissionDenied(_("只有区教委工作人员可以跟进预警。"))
    follow_up, _created = WarningFollowUp.objects.get_or_create(
        **identity(warning),
        defaults={"kindergarten_id": warning.kindergarten_id},
    )
    follow_up = WarningFollowUp.objects.select_for_update().get(pk=follow_up.pk)
    errors = {}
    if status is not None and status not in FollowUpStatus.values:
        errors["status"] = _("无效的跟进状态。")
    if owner is not ... and owner is not None and not owner_choices().filter(pk=owner.pk).exists():
        errors["owner"] = _("负责人须为区教委工作人员。")
    if errors:
        raise ValidationError(errors)
    if status is not None and status != follow_up.status:
        follow_up.status = status
        follow_up.resolved_as_of = latest_date(warning) if status == FollowUpStatus.RESOLVED else None
    if owner is not ...:
        follow_up.owner = owner
    _validated(follow_up, user)
    if note.strip():
        WarningNote.objects.create(follow_up=follow_up, author=user, text=note.strip())
    return follow_up


def reopen_raised(day: datetime.date, warnings: Iterable[EarlyWarning]) -> int:
    """Resolved follow-ups whose warning `day`'s computation raises again go back to "new".

    Called by the computation inside its transaction; only a day after the resolution reopens.
    """
    keys = {tuple(identity(w).values()) for w in warnings}
    if not keys:
        return 0
    reopened = 0
    candidates = WarningFollowUp.objects.select_for_update().filter(
        status=FollowUpStatus.RESOLVED, resolved_as_of__lt=day, year__in={k[3] for k in keys}
    )
    for follow_up in candidates:
        if (follow_up.kind, follow_up.subdistrict_id, follow_up.kindergarten_key, follow_up.year) not in keys:
            continue
        follow_up.status = FollowUpStatus.NEW
        follow_up.resolved_as_of = None
        follow_up._history_user = None
        follow_up.save()
        WarningNote.objects.create(
            follow_up=follow_up, text=_("%(date)s 的计算再次发出此预警，已重新打开。") % {"date": day.isoformat()}
        )
        reopened += 1
    return reopened


def with_follow_up(warnings):
    """Warnings annotated with their follow-up's status (no follow-up yet: "new"), owner and rank."""
    match = WarningFollowUp.objects.filter(
        kind=OuterRef("kind"),
        subdistrict=OuterRef("subdistrict"),
        year=OuterRef("year"),
        kindergarten_key=Coalesce(OuterRef("kindergarten"), Value(0)),
    )
    warnings = warnings.annotate(
        follow_up_status=Coalesce(Subquery(match.values("status")[:1]), Value(FollowUpStatus.NEW.value)),
        follow_up_owner=Subquery(match.values("owner")[:1]),
    )
    return warnings.annotate(
        follow_up_rank=Case(
            *(When(follow_up_status=status.value, then=Value(rank)) for rank, status in enumerate(FollowUpStatus)),
            output_field=IntegerField(),
        )
    )
