"""Demo self-assessments in every state, filled by each kindergarten's director account."""

from __future__ import annotations

import datetime
import random

from accounts.models import User
from kindergartens.models import Kindergarten

from .. import services
from ..models import CycleAssignment, EvaluationCycle, RatingLevel, SelfAssessment
from .common import director_for

NOTES = (
    "已提供相关照片和记录。",
    "有制度文件，执行记录较完整。",
    "部分班级落实较好，个别班级需加强。",
    "已整理近一学期的观察记录。",
    "本学期已完成，材料见附件说明。",
    "",
)


RETURN_COMMENTS = (
    "部分考查要点的佐证说明过于简略，请补充具体做法和记录。",
    "“安全防护”相关评分偏高，请补充应急演练记录后重新评估。",
    "请结合本园实际补充“师幼互动”的观察记录。",
)


def _fill(assessment: SelfAssessment, director: User, rng: random.Random, *, share: float = 1.0) -> None:
    points = list(assessment.framework_version.points())
    levels = {lv.value: lv.pk for lv in RatingLevel.objects.filter(scale=assessment.framework_version.rating_scale)}
    chosen = points if share >= 1 else rng.sample(points, int(len(points) * share))
    ratings = {}
    for point in chosen:
        value = rng.choices([1, 2, 3, 4], weights=[1, 4, 10, 5])[0]
        ratings[point.pk] = services.RatingInput(levels.get(value), rng.choice(NOTES))
    services.self_assessment_save(
        assessment=assessment, user=director, ratings=ratings, summary="本园对照评估手册逐项开展了自评。"
    )


def seed_assessment(
    cycle: EvaluationCycle, kindergarten: Kindergarten, rng: random.Random, bureau: User | None, outcome: str
) -> None:
    director = director_for(kindergarten)
    assessment = services.self_assessment_start(kindergarten=kindergarten, cycle=cycle, user=director)
    if outcome == "partial":
        _fill(assessment, director, rng, share=0.5)
        return
    _fill(assessment, director, rng)
    services.self_assessment_submit(assessment=assessment, user=director)
    if outcome == "accepted":
        services.self_assessment_accept(assessment=assessment, user=bureau, comment="自评材料完整，同意。")
    elif outcome == "returned":
        services.self_assessment_return(assessment=assessment, user=bureau, comment=rng.choice(RETURN_COMMENTS))
        revision = services.self_assessment_revise(assessment=assessment, user=director)
        _fill(revision, director, rng, share=0.3)


def seed_self_assessments(
    rng: random.Random, cycle: EvaluationCycle, bureau: User, today: datetime.date, *, skip: int | None = None
) -> int:
    """Self-assessments in every state for a sample of the kindergartens planned up to this year
    that have none yet: in past years mostly accepted, some waiting for review, a few returned
    and being revised, some never submitted (overdue); this year fewer of each. `skip` is a
    kindergarten left untouched (the demo director's, ready to try). Returns how many were made."""
    base = rng.getrandbits(32)
    created = 0
    assessed = set(SelfAssessment.objects.filter(cycle=cycle).values_list("kindergarten_id", flat=True))
    assignments = (
        CycleAssignment.objects.filter(cycle=cycle, planned_year__lte=today.year)
        .exclude(kindergarten_id__in=assessed)
        .select_related("kindergarten")
        .order_by("kindergarten__code")
    )
    for assignment in assignments:
        kindergarten = assignment.kindergarten
        if kindergarten.pk == skip:
            continue
        local = random.Random(f"{base}:{kindergarten.code}")
        draw = local.random()
        if assignment.planned_year < today.year:
            outcomes = ((0.45, "accepted"), (0.55, "submitted"), (0.60, "returned"), (0.65, "partial"))
        else:
            outcomes = ((0.20, "accepted"), (0.40, "submitted"), (0.45, "returned"), (0.60, "partial"))
        outcome = next((name for limit, name in outcomes if draw < limit), None)
        if outcome is None:
            continue
        seed_assessment(cycle, kindergarten, local, bureau, outcome)
        created += 1
    return created
