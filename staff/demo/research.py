"""Demo teaching research: a cluster per sample of sub-districts with a lead kindergarten, teams,
activities whose hours feed the participants' records, and pairings with yearly reviews."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from kindergartens.models import Kindergarten

from ..choices import ReviewRating, StaffRole, TrainingLevel, TrainingMode, TrainingSource
from ..models import (
    Pairing,
    PairingReview,
    ResearchActivity,
    ResearchCluster,
    ResearchTeam,
    StaffMember,
    TrainingRecord,
)
from ..selectors_development import STRONG_GRADES, WEAKER_GRADES, pairing_candidates
from .principals import CHANGE_REASON

TOPICS = ("自主游戏中的观察与支持", "幼小衔接：入学准备", "一日生活环节的教育价值", "户外运动与体能发展", "绘本阅读")


def _clusters(rng: random.Random, demo: list[Kindergarten], today: datetime.date) -> tuple[int, int]:
    by_area: dict[str, list[Kindergarten]] = defaultdict(list)
    for kg in demo:
        by_area[kg.subdistrict.name].append(kg)
    areas = sorted(by_area, key=lambda a: -len(by_area[a]))[:6]
    activities = 0
    for area in areas:
        members = by_area[area][:8]
        cluster = ResearchCluster(name=f"{area}教研片区", lead=members[0], description=f"{area}各园的园本教研共同体。")
        cluster._change_reason = CHANGE_REASON
        cluster.save()
        cluster.members.set(members)
        posts = list(StaffMember.objects.current().filter(kindergarten__in=members).select_related("person"))
        lead = StaffMember.objects.current().filter(kindergarten=members[0], role=StaffRole.PRINCIPAL).first()
        for t, topic in enumerate(rng.sample(TOPICS, 2)):
            team = ResearchTeam(
                cluster=cluster,
                name=f"第{t + 1}教研组",
                topic=topic,
                leader=lead.person if lead else None,
            )
            team._change_reason = CHANGE_REASON
            team.save()
            team.members.set([p.person for p in posts[t::2]][:8])
            for months_ago in (9, 5, 2):
                held = today - datetime.timedelta(days=30 * months_ago + rng.randint(0, 25))
                activity = ResearchActivity(
                    team=team,
                    held_on=held,
                    topic=f"{topic}·专题研讨",
                    hours=Decimal(3),
                    mode=rng.choice(TrainingMode.values),
                    host=rng.choice(members),
                )
                activity._change_reason = CHANGE_REASON
                activity.save()
                attendees = [p for p in posts if p.hired_on <= held][:10]
                bulk_create_with_history(
                    [
                        TrainingRecord(
                            person=p.person,
                            kindergarten=p.kindergarten,
                            activity=activity,
                            title=f"教研活动：{activity.topic}",
                            attended_on=held,
                            hours=activity.hours,
                            level=TrainingLevel.CLUSTER,
                            mode=activity.mode,
                            source=TrainingSource.RESEARCH,
                        )
                        for p in attendees
                    ],
                    TrainingRecord,
                    default_change_reason=CHANGE_REASON,
                )
                activities += 1
    return len(areas), activities


def _pairings(rng: random.Random, demo: list[Kindergarten], today: datetime.date) -> int:
    pool = Kindergarten.objects.filter(pk__in=[kg.pk for kg in demo])
    weak, strong = list(pairing_candidates(pool, WEAKER_GRADES)[:6]), list(pairing_candidates(pool, STRONG_GRADES)[:6])
    if len(weak) < 3 or len(strong) < 3:  # no published grades yet: pair some demo kindergartens anyway
        picked = rng.sample(demo, min(12, len(demo)))
        strong, weak = picked[:6], picked[6:]
    made = 0
    for s, w in zip(strong, weak, strict=False):
        pairing = Pairing(
            strong=s,
            weak=w,
            started_on=datetime.date(today.year - 2, 9, 1),
            goals="规范一日生活常规；每学期开展 2 次联合教研；帮扶园骨干教师每月到受援园指导。",
        )
        pairing._change_reason = CHANGE_REASON
        pairing.save()
        for year in (today.year - 2, today.year - 1):
            review = PairingReview(
                pairing=pairing,
                year=year,
                reviewed_on=datetime.date(year, 12, 20),
                rating=rng.choice(ReviewRating.values),
                progress="完成联合教研和跟岗学习，常规管理明显改善。",
            )
            review._change_reason = CHANGE_REASON
            review.save()
        made += 1
    return made


def seed_research(rng: random.Random, demo: list[Kindergarten], today: datetime.date) -> str:
    """Only while there is no cluster and no pairing (idempotent)."""
    clusters = activities = pairings = 0
    if demo and not ResearchCluster.objects.exists():
        clusters, activities = _clusters(rng, demo, today)
    if demo and not Pairing.objects.exists():
        pairings = _pairings(rng, demo, today)
    return f"教研片区 {clusters} 个，教研活动 {activities} 次，结对帮扶 {pairings} 对"
