"""Teaching research and pairing: the bureau draws clusters, forms teams, records activities
(each participant gets a training record of the activity's hours, 片区级) and pairs strong
kindergartens with weaker ones, reviewing each pairing yearly (`Act.MANAGE`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Act, require
from common.saving import validated_save
from kindergartens.models import Kindergarten

from ..choices import TrainingLevel, TrainingSource
from ..models import Pairing, PairingReview, Person, ResearchActivity, ResearchCluster, ResearchTeam, TrainingRecord
from .principals import post_on

REFUSE = gettext_lazy("只有区教委工作人员可以维护教研片区、教研活动和结对帮扶。")


def _require(user) -> None:
    require(user, Act.MANAGE, message=str(REFUSE))


@transaction.atomic
def cluster_save(
    *,
    user,
    name: str,
    lead: Kindergarten,
    members: Iterable[Kindergarten],
    description: str = "",
    cluster: ResearchCluster | None = None,
) -> ResearchCluster:
    """A cluster and its members; the lead kindergarten is always a member."""
    _require(user)
    cluster = cluster or ResearchCluster()
    cluster.name, cluster.lead, cluster.description = name, lead, description
    validated_save(cluster, user)
    cluster.members.set({*members, lead})
    return cluster


@transaction.atomic
def team_save(
    *,
    user,
    cluster: ResearchCluster,
    name: str,
    topic: str,
    members: Iterable[Person],
    leader: Person | None = None,
    team: ResearchTeam | None = None,
) -> ResearchTeam:
    """A new team of `cluster`, or `team` changed: its members are replaced (the leader is one)."""
    _require(user)
    team = team or ResearchTeam(cluster=cluster)
    team.name, team.topic, team.leader = name, topic, leader
    team = validated_save(team, user)
    team.members.set({*members, *([leader] if leader else [])})
    return team


@transaction.atomic
def activity_record(
    *,
    user,
    team: ResearchTeam,
    held_on: datetime.date,
    topic: str,
    hours: Decimal,
    mode: str,
    participants: Iterable[Person],
    host: Kindergarten | None = None,
) -> ResearchActivity:
    """The activity and, for each participant, a training record (片区级) at the member kindergarten
    where they held a post that day; a participant without such a post refuses the whole activity."""
    _require(user)
    activity = validated_save(
        ResearchActivity(team=team, held_on=held_on, topic=topic, hours=hours, mode=mode, host=host), user
    )
    members = team.cluster.members.all()
    missing = []
    for person in participants:
        post = post_on(person, held_on, kindergartens=members)
        if post is None:
            missing.append(person.name)
            continue
        record = TrainingRecord(
            person=person,
            kindergarten=post.kindergarten,
            activity=activity,
            title=_("教研活动：%(topic)s") % {"topic": topic},
            attended_on=held_on,
            hours=hours,
            level=TrainingLevel.CLUSTER,
            mode=mode,
            source=TrainingSource.RESEARCH,
            recorded_by=user if getattr(user, "pk", None) else None,
        )
        validated_save(record, user)
    if missing:
        raise ValidationError(
            {"participants": _("以下人员在活动当天不在片区成员园任职：%(names)s") % {"names": "、".join(missing)}}
        )
    return activity


@transaction.atomic
def pairing_save(*, user, strong: Kindergarten, weak: Kindergarten, started_on: datetime.date, goals: str) -> Pairing:
    _require(user)
    return validated_save(Pairing(strong=strong, weak=weak, started_on=started_on, goals=goals), user)


@transaction.atomic
def pairing_review_save(
    *, user, pairing: Pairing, year: int, rating: str, progress: str, reviewed_on: datetime.date
) -> PairingReview:
    _require(user)
    review = PairingReview(pairing=pairing, year=year, rating=rating, progress=progress, reviewed_on=reviewed_on)
    return validated_save(review, user)
