"""Demo data for quality evaluation, so the portal can be tried end to end.

`manage.py seed_demo` calls `seed(rng)` after the registry and the demo logins exist. It makes:

- a demo handbook: version 1's structure copied, two points under each of the 15 key
  indicators, every one written for the demo and starting with "【演示】" (origin "演示数据"),
  published as its own version named as a demo handbook — never presented as the guide's
  official wording;
- the current three-year cycle on that handbook (the year before this one is its first year),
  with every licensed kindergarten and community point assigned to a year, balanced per
  sub-district;
- self-assessments in every state for a sample of kindergartens: in the first year mostly
  accepted, some waiting for review, a few returned and being revised, some never submitted
  (overdue); in the current year some accepted, some submitted, a few returned, some drafts. Each sampled kindergarten gets
  a director account that cannot log in ("demo-director-…"), because only a kindergarten's own
  director may fill its self-assessment. The demo login `director` is planned for this year,
  due in a month, with nothing started — ready to try.

Everything goes through `inspections.services`, like the pages. Deterministic per kindergarten
(its generator is derived from `rng` and its code); idempotent: what exists is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Count
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from kindergartens.models import Kindergarten

from . import services
from .choices import AssessmentStatus, PointOrigin
from .models import (
    CycleAssignment,
    EvaluationCycle,
    FrameworkVersion,
    KeyIndicator,
    RatingLevel,
    SelfAssessment,
)

DEMO_HANDBOOK_NAME = "朝阳区幼儿园保育教育质量评估手册（演示版，非正式文件）"
DEMO_SOURCE = "演示数据：由平台为演示编写，不是《幼儿园保育教育质量评估指南》原文"
POINT_SOURCE = "平台为演示编写，非《指南》原文"
DEMO_DESCRIPTION = "仅供演示和培训使用。考查要点均以“【演示】”开头，正式评估请使用区教委发布的评估手册。"
DEMO_DIRECTOR_PREFIX = "demo-director-"
BUREAU_LOGIN = "bureau"
DIRECTOR_LOGIN = "director"

# Two demo points per key indicator (written for the demo; not the guide's wording).
DEMO_POINTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "党建工作": (
        ("【演示】园所党组织在重大事项决策中发挥作用", "查阅会议记录，访谈园长", "党组织会议记录"),
        ("【演示】党员教师在保教工作中发挥示范作用", "访谈教师，查阅活动记录", "党员示范岗记录"),
    ),
    "品德启蒙": (
        ("【演示】一日生活中有意识地培养幼儿良好品德", "观察一日生活各环节", "活动照片、观察记录"),
        ("【演示】通过节日和社区活动开展爱家乡爱祖国启蒙", "查阅活动方案", "活动方案和总结"),
    ),
    "科学理念": (
        ("【演示】坚持以游戏为基本活动，不提前教授小学内容", "观察半日活动，查阅课程安排", "周计划、课程表"),
        ("【演示】园所课程方案符合幼儿身心发展规律", "查阅课程方案", "课程方案"),
    ),
    "卫生保健": (
        ("【演示】晨午检和全日健康观察落实到位", "查阅晨检记录，观察入园环节", "晨检记录"),
        ("【演示】膳食营养搭配合理并定期分析", "查阅带量食谱和营养分析", "食谱、营养分析报告"),
    ),
    "生活照料": (
        ("【演示】进餐、饮水、如厕、午睡等环节照料细致", "观察生活环节", "观察记录"),
        ("【演示】引导幼儿逐步养成自理能力", "观察幼儿自理情况", "观察记录、照片"),
    ),
    "安全防护": (
        ("【演示】安全管理制度健全，定期开展隐患排查", "查阅制度和排查台账", "隐患排查台账"),
        ("【演示】每季度开展应急疏散演练", "查阅演练记录", "演练方案和照片"),
    ),
    "活动组织": (
        ("【演示】一日活动安排动静交替、室内外结合", "查阅作息表，观察活动", "一日作息表"),
        ("【演示】保证幼儿每天充足的户外活动时间", "观察户外活动", "户外活动记录"),
    ),
    "师幼互动": (
        ("【演示】教师尊重幼儿，耐心倾听并积极回应", "观察师幼对话", "观察记录"),
        ("【演示】教师通过观察了解幼儿并支持其学习", "查阅观察记录和个案分析", "观察记录、个案分析"),
    ),
    "家园共育": (
        ("【演示】建立家长委员会并定期开展家园沟通", "查阅家委会记录，访谈家长", "家委会会议记录"),
        ("【演示】为家长提供科学育儿指导", "查阅家长学校活动记录", "家长学校活动材料"),
    ),
    "空间设施": (
        ("【演示】室内外活动空间满足幼儿活动需要", "实地查看园舍场地", "园舍平面图、照片"),
        ("【演示】设施设备安全、卫生、适合幼儿使用", "实地查看设施设备", "设施检查记录"),
    ),
    "玩具材料": (
        ("【演示】玩具材料种类丰富、数量充足", "查看各班活动区", "玩具材料清单"),
        ("【演示】提供低结构材料，支持幼儿自主探索", "观察区域活动", "区域活动照片"),
    ),
    "师德师风": (
        ("【演示】教职工遵守职业行为准则，关爱幼儿", "查阅师德考核，访谈家长", "师德考核记录"),
        ("【演示】建立师德问题发现和处理机制", "查阅相关制度", "制度文件"),
    ),
    "人员配备": (
        ("【演示】按标准配备教师和保育员", "查阅人员花名册", "教职工花名册"),
        ("【演示】教师和园长持证上岗", "查阅资格证书", "资格证书复印件"),
    ),
    "专业发展": (
        ("【演示】园本教研常态开展并解决实际问题", "查阅教研记录", "教研活动记录"),
        ("【演示】教师培训计划落实，培训覆盖全体教师", "查阅培训台账", "培训台账"),
    ),
    "激励机制": (
        ("【演示】绩效考核注重保教实绩", "查阅考核方案", "考核方案"),
        ("【演示】教职工待遇保障落实到位", "查阅工资和社保缴纳记录", "工资和社保记录"),
    ),
}
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


def _demo_handbook(bureau: User | None) -> FrameworkVersion:
    existing = FrameworkVersion.objects.filter(is_demo=True, name=DEMO_HANDBOOK_NAME).order_by("-version").first()
    if existing is not None and existing.is_published:
        return existing
    if existing is None:
        national = FrameworkVersion.objects.get(version=1)
        existing = services.framework_version_copy(source=national, user=bureau, name=DEMO_HANDBOOK_NAME, is_demo=True)
        services.framework_version_update(
            version=existing, user=bureau, name=DEMO_HANDBOOK_NAME, source=DEMO_SOURCE, description=DEMO_DESCRIPTION
        )
    for indicator in KeyIndicator.objects.filter(area__framework_version=existing).order_by("order"):
        if indicator.points.exists():
            continue
        for text, guidance, evidence in DEMO_POINTS.get(indicator.name, ()):
            services.assessment_point_create(
                key_indicator=indicator,
                user=bureau,
                text=text,
                guidance=guidance,
                evidence_expected=evidence,
                origin=PointOrigin.DEMO,
                source=POINT_SOURCE,
            )
    return services.framework_version_publish(version=existing, user=bureau)


def _director_for(kindergarten: Kindergarten) -> User:
    """The kindergarten's director account: the demo login if it is theirs, else one that cannot log in."""
    director = User.objects.filter(role=Role.DIRECTOR, kindergarten=kindergarten, is_active=True).first()
    if director is not None:
        return director
    director = User(
        username=f"{DEMO_DIRECTOR_PREFIX}{kindergarten.code.lower()}",
        role=Role.DIRECTOR,
        kindergarten=kindergarten,
        first_name=f"{kindergarten.name}园长",
    )
    director.set_unusable_password()
    director.full_clean()
    director._change_reason = "演示数据"
    director.save()
    return director


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


def _seed_assessment(
    cycle: EvaluationCycle, kindergarten: Kindergarten, rng: random.Random, bureau: User | None, outcome: str
) -> None:
    director = _director_for(kindergarten)
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


def seed(rng: random.Random, *, today: datetime.date | None = None) -> str:
    """Creates the demo handbook, the current cycle and sample self-assessments that are missing."""
    today = today or timezone.localdate()
    bureau = User.objects.filter(username=BUREAU_LOGIN).first() or User.objects.filter(role=Role.BUREAU_ADMIN).first()
    if bureau is None or not bureau.is_bureau:
        return "缺少区教委演示账号，未生成质量评估演示数据"
    handbook = _demo_handbook(bureau)

    cycle = EvaluationCycle.objects.current(today)
    if cycle is None or not cycle.end_year >= today.year:
        start = today.year - 1
        cycle = services.evaluation_cycle_create(
            name=f"{start}—{start + 2} 年督导评估周期", start_year=start, framework_version=handbook, user=bureau
        )
    added = services.cycle_assign_kindergartens(cycle=cycle, user=bureau)

    # The demo director's kindergarten: this year, due in a month, nothing started.
    demo_director = User.objects.filter(username=DIRECTOR_LOGIN, role=Role.DIRECTOR).first()
    if demo_director is not None and demo_director.kindergarten_id:
        assignment = CycleAssignment.objects.filter(cycle=cycle, kindergarten_id=demo_director.kindergarten_id).first()
        untouched = not SelfAssessment.objects.filter(
            cycle=cycle, kindergarten_id=demo_director.kindergarten_id
        ).exists()
        if assignment is not None and untouched and assignment.planned_year != today.year:
            services.cycle_assignment_update(
                assignment=assignment,
                user=bureau,
                planned_year=today.year,
                self_assessment_due=today + datetime.timedelta(days=30),
            )

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
        if demo_director is not None and kindergarten.pk == demo_director.kindergarten_id:
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
        _seed_assessment(cycle, kindergarten, local, bureau, outcome)
        created += 1

    enforcement = seed_enforcement(rng, bureau, today)
    # Before the issue lists, so that published external evaluations get issue lists too.
    evaluations = seed_external_evaluations(rng, cycle, bureau, today)
    issues = seed_issues(rng, cycle, bureau, today)
    statuses = dict(
        SelfAssessment.objects.filter(cycle=cycle).latest_versions().values_list("status").annotate(n=Count("id"))
    )
    summary = "、".join(f"{AssessmentStatus(code).label} {n}" for code, n in sorted(statuses.items()))
    return (
        f"演示评估手册第 {handbook.version} 版（{handbook.points().count()} 个演示要点），{cycle.name}："
        f"新安排 {added} 所，新建自评 {created} 份（{summary or '无'}）；"
        f"{evaluations}；{issues}；{enforcement}"
    )


def seed_enforcement(rng: random.Random, bureau: User, today: datetime.date) -> str:
    """Rectification orders, unlicensed kindergartens' cases and conduct cases (`demo_enforcement`)."""
    from .demo_enforcement import seed_enforcement as seed_cases

    return seed_cases(rng, bureau, today)


def seed_issues(rng: random.Random, cycle: EvaluationCycle, bureau: User, today: datetime.date) -> str:
    """Issue lists from the cycle's submitted self-assessments (and published external
    evaluations), some reported, verified or sent back, some overdue (`demo_issues`)."""
    from .demo_issues import seed_issues as seed_lists

    return seed_lists(rng, cycle, bureau, today)


def seed_external_evaluations(rng: random.Random, cycle: EvaluationCycle, bureau: User, today: datetime.date) -> str:
    """Two evaluation teams (one led by the demo login `inspector`) and about 30 supervisory
    evaluations of past planned years: drafts, submitted and published (`demo_evaluations`)."""
    from .demo_evaluations import seed_external_evaluations as seed_visits

    return seed_visits(rng, cycle, bureau, today)
