"""Demo supervisory (external) evaluations, so the portal shows teams, visits and comparisons.

Called by `demo.seed_external_evaluations` from `demo.seed`. It forms two evaluation teams in
the cycle — the first led by the demo login `inspector` (when it exists), the second of demo
evaluator accounts that cannot log in — and assigns them about 30 kindergartens planned for a
past year of the cycle (those with a submitted or accepted self-assessment first, so the
comparison page has something to compare). Then, per kindergarten, a visit is recorded by the
team's leader: some published by the bureau, some waiting for approval, some drafts (part
rated), a few not yet started. Ratings follow the self-rating with some disagreement, and
points rated low carry findings. Everything goes through the services, like the pages.

Deterministic (its generator comes from `rng`); idempotent: once the teams have evaluations,
nothing more is created.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User

from ..choices import AssessmentStatus, EvaluationStatus, ResultGrade
from ..models import (
    CycleAssignment,
    EvaluationCycle,
    EvaluationTeam,
    ExternalEvaluation,
    RatingLevel,
    SelfAssessment,
    SelfAssessmentRating,
)
from ..services import evaluations as services
from .common import INSPECTOR_LOGIN

EVALUATOR_PREFIX = "demo-evaluator-"
EVALUATORS = (("1", "周明远"), ("2", "孙丽娟"), ("3", "郑国强"))
TEAMS = ("第一督导评估组", "第二督导评估组")
KINDERGARTENS = 30
FIRST_TEAM_SHARE = 16
FINDINGS = (
    "区域活动材料以成品玩具为主，低结构材料不足。",
    "户外活动时间部分班级不足两小时。",
    "教师观察记录较少，缺少对幼儿表现的分析。",
    "午睡巡视记录不完整。",
    "家长开放日活动每学期不足一次。",
    "教研活动与一日生活中的问题结合不够。",
)
GOOD_FINDINGS = (
    "师幼互动自然，教师能回应幼儿的提问。",
    "一日生活安排合理，过渡环节衔接顺畅。",
)
SUMMARIES = (
    "园所保教理念端正，一日生活组织有序；区域活动材料和观察记录有待加强。",
    "园所重视安全与卫生保健，师幼关系融洽；家园共育形式较单一。",
    "保教过程规范，教师队伍稳定；建议加强教研与保教实际问题的结合。",
)


def _evaluator(number: str, name: str) -> User:
    username = f"{EVALUATOR_PREFIX}{number}"
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    user = User(username=username, role=Role.INSPECTOR, first_name=name)
    user.set_unusable_password()
    user.full_clean()
    user._change_reason = "演示数据"
    user.save()
    return user


def _team(cycle: EvaluationCycle, bureau: User, name: str, members: list[User]) -> EvaluationTeam:
    existing = EvaluationTeam.objects.filter(cycle=cycle, name=name).first()
    if existing is not None:
        return existing
    return services.evaluation_team_create(
        cycle=cycle, name=name, user=bureau, leader=members[0], members=members, note="演示数据"
    )


def _grade(average: float) -> str:
    if average >= 3.4:
        return ResultGrade.EXCELLENT
    if average >= 2.8:
        return ResultGrade.GOOD
    if average >= 2.0:
        return ResultGrade.QUALIFIED
    return ResultGrade.UNQUALIFIED


def _record(evaluation: ExternalEvaluation, user: User, rng: random.Random, latest: datetime.date, share: float):
    points = list(evaluation.framework_version.points())
    levels = {lv.value: lv.pk for lv in RatingLevel.objects.filter(scale=evaluation.framework_version.rating_scale)}
    own = dict(
        SelfAssessmentRating.objects.filter(
            assessment__kindergarten_id=evaluation.kindergarten_id,
            assessment__cycle_id=evaluation.cycle_id,
            assessment__status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED],
            level__isnull=False,
        ).values_list("point_id", "level__value")
    )
    chosen = points if share >= 1 else points[: int(len(points) * share)]
    ratings, values = {}, []
    for point in chosen:
        base = own.get(point.pk) or rng.choices([1, 2, 3, 4], weights=[1, 4, 10, 5])[0]
        # Evaluators mostly agree with the self-rating, and tend to rate a little lower.
        value = min(max(base + rng.choices([-2, -1, 0, 1], weights=[1, 5, 12, 2])[0], 1), max(levels))
        findings = ""
        if value <= 2:
            findings = rng.choice(FINDINGS)
        elif rng.random() < 0.15:
            findings = rng.choice(GOOD_FINDINGS)
        ratings[point.pk] = services.FindingInput(levels.get(value), findings)
        values.append(value)
    average = sum(values) / len(values) if values else 0
    services.evaluation_save(
        evaluation=evaluation,
        user=user,
        ratings=ratings,
        visit_date=latest - datetime.timedelta(days=rng.randint(20, 200)),
        summary=rng.choice(SUMMARIES) if share >= 1 else "",
        grade=_grade(average) if share >= 1 else "",
    )


def seed_external_evaluations(
    rng: random.Random, cycle: EvaluationCycle | None, bureau: User | None, today: datetime.date
) -> str:
    # Derived from `rng` without drawing from it, so the seeders after this one (issue lists)
    # get the same numbers as if it did not exist.
    peek = random.Random()
    peek.setstate(rng.getstate())
    base = peek.getrandbits(32)
    if cycle is None or bureau is None:
        return "未生成督导评估演示数据"
    inspector = User.objects.filter(username=INSPECTOR_LOGIN, role=Role.INSPECTOR, is_active=True).first()
    evaluators = [_evaluator(number, name) for number, name in EVALUATORS]
    first_members = [inspector, evaluators[0]] if inspector is not None else evaluators[:1]
    teams = [
        _team(cycle, bureau, TEAMS[0], first_members),
        _team(cycle, bureau, TEAMS[1], evaluators[1:]),
    ]
    if ExternalEvaluation.objects.filter(team__in=teams).exists():
        return "督导评估演示数据已存在"

    local = random.Random(f"{base}:external-evaluations")
    compared = SelfAssessment.objects.filter(
        kindergarten=OuterRef("kindergarten"),
        cycle=cycle,
        status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED],
    )
    past = list(
        CycleAssignment.objects.filter(cycle=cycle, planned_year__lt=today.year)
        .exclude(Exists(ExternalEvaluation.objects.filter(kindergarten=OuterRef("kindergarten"), cycle=cycle)))
        .annotate(compared=Exists(compared))
        .select_related("kindergarten")
        .order_by("kindergarten__code")
    )
    local.shuffle(past)
    past.sort(key=lambda a: not a.compared)  # stable: with a self-assessment first, shuffled within
    chosen = sorted(past[:KINDERGARTENS], key=lambda a: a.kindergarten.code)
    if not chosen:
        return "没有可安排督导评估的幼儿园"
    split = min(FIRST_TEAM_SHARE, len(chosen))
    groups = [(teams[0], chosen[:split]), (teams[1], chosen[split:])]

    # Services refuse visit dates after the real today, whatever date the demo is seeded for.
    latest = min(today, timezone.localdate())
    counts = dict.fromkeys(EvaluationStatus.values, 0)
    for team, rows in groups:
        if not rows:
            continue
        services.evaluation_assign(team=team, kindergartens=[a.kindergarten for a in rows], user=bureau)
        leader = team.leader
        for assignment in rows:
            evaluation = ExternalEvaluation.objects.get(cycle=cycle, kindergarten=assignment.kindergarten)
            draw = local.random()
            if draw < 0.12:
                counts[EvaluationStatus.DRAFT] += 1  # assigned, visit not yet recorded
                continue
            if draw < 0.35:
                _record(evaluation, leader, local, latest, share=0.6)
                counts[EvaluationStatus.DRAFT] += 1
                continue
            _record(evaluation, leader, local, latest, share=1)
            services.evaluation_submit(evaluation=evaluation, user=leader)
            if draw < 0.6:
                counts[EvaluationStatus.SUBMITTED] += 1
                continue
            services.evaluation_publish(evaluation=evaluation, user=bureau, comment="经审定，同意公布。")
            counts[EvaluationStatus.PUBLISHED] += 1
    summary = "、".join(f"{EvaluationStatus(code).label} {n}" for code, n in counts.items())
    return f"督导评估：2 个评估组，{len(chosen)} 所幼儿园（{summary}）"
