"""Demo issue lists (问题清单) and their improvement, so the portal shows every state.

Called by `demo.seed_issues` at the end of `demo.seed`. For a deterministic share of the
cycle's submitted or accepted self-assessments (and of its published external evaluations,
if any exist by then) it draws up an issue list from the points rated in the scale's lowest
levels, backdated by up to five months, through `services.issues` like the pages; then some
issues are reported by the kindergarten's director, some of those verified by the bureau,
some sent back — and the old ones not yet verified are overdue.

Deterministic per source (its generator comes from `rng` and the kindergarten's code);
idempotent: a source that already has issues is left alone.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import User
from kindergartens.models import Kindergarten

from ..choices import AssessmentStatus, EvaluationStatus, IssueStatus
from ..models import ExternalEvaluation, QualityIssue, SelfAssessment
from ..services import issues as services
from .common import director_for

SHARE = 0.6  # of the sources that get an issue list
MAX_ISSUES = 3
PROBLEMS = (
    "区域活动材料投放不足，低结构材料较少。",
    "部分班级户外活动时间未达到每天两小时。",
    "观察记录较为零散，缺少对幼儿发展的分析。",
    "应急疏散演练记录不完整，个别季度缺失。",
    "家园沟通以通知为主，育儿指导活动较少。",
    "教研活动主题与保教实际问题结合不够紧密。",
)
REPORTS = (
    "已补充区域活动材料并调整投放方式，附整改前后照片。",
    "已调整一日作息，保证户外活动时间，附作息表。",
    "已建立观察记录模板并开展专题培训，附培训记录。",
    "已补做演练并完善演练台账，附演练照片和记录。",
)
# Three in ten issues stay open, two wait for verification, one is sent back, four are verified.
OUTCOMES = ("verified", "open", "reported", "verified", "sent_back", "open", "verified", "reported", "open", "verified")
SEND_BACK = "整改措施尚未覆盖全部班级，请补充其余班级的整改材料。"
VERIFIED = "经现场查看和材料核对，整改到位。"


def _director(kindergarten: Kindergarten) -> User:
    return director_for(kindergarten)


def _sources(cycle) -> list:
    has_issues = QualityIssue.objects.filter
    self_assessments = (
        SelfAssessment.objects.filter(cycle=cycle, status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED])
        .exclude(Exists(has_issues(self_assessment=OuterRef("pk"))))
        .select_related("kindergarten", "framework_version")
        .order_by("kindergarten__code")
    )
    evaluations = (
        ExternalEvaluation.objects.filter(cycle=cycle, status=EvaluationStatus.PUBLISHED)
        .exclude(Exists(has_issues(external_evaluation=OuterRef("pk"))))
        .select_related("kindergarten", "framework_version")
        .order_by("kindergarten__code")
    )
    return [*self_assessments, *evaluations]


def seed_issues(rng: random.Random, cycle, bureau: User, today: datetime.date) -> str:
    if cycle is None or bureau is None:
        return "未生成问题清单演示数据"
    base = rng.getrandbits(32)
    # Services refuse dates after the real today, whatever date the demo is seeded for.
    latest = min(today, timezone.localdate())
    created = reported = verified = turn = 0
    for source in _sources(cycle):
        kind = services.source_kind(source)
        local = random.Random(f"{base}:issues:{kind}:{source.kindergarten.code}")
        if local.random() >= SHARE:
            continue
        rows = [row for row in services.source_points(source) if row.preselected][:MAX_ISSUES]
        if not rows:
            continue
        opened_on = latest - datetime.timedelta(days=local.randint(10, 150))
        inputs = [
            services.IssueInput(
                point_id=row.point.pk,
                description=f"{row.level.label if row.level else ''}：{local.choice(PROBLEMS)}".lstrip("："),
                deadline=opened_on + datetime.timedelta(days=local.choice((30, 60, 90))),
            )
            for row in rows
        ]
        issues = services.issues_create_from_source(source=source, user=bureau, issues=inputs, opened_on=opened_on)
        created += len(issues)
        director = _director(source.kindergarten)
        for issue in issues:
            # Outcomes in turn rather than drawn, so that even a small demo shows every state.
            outcome = OUTCOMES[turn % len(OUTCOMES)]
            turn += 1
            if outcome == "open" or director is None:
                continue  # still open; overdue once its deadline has passed
            services.issue_report(issue=issue, user=director, note=local.choice(REPORTS))
            reported += 1
            if outcome == "reported":
                continue  # waits for verification
            if outcome == "sent_back":
                services.issue_send_back(issue=issue, user=bureau, note=SEND_BACK)
                continue
            services.issue_verify(issue=issue, user=bureau, note=VERIFIED)
            verified += 1
    overdue = QualityIssue.objects.filter(cycle=cycle).overdue().count()
    open_count = QualityIssue.objects.filter(cycle=cycle, status=IssueStatus.OPEN).count()
    return f"问题清单：新建 {created} 个问题（报告 {reported}、验证 {verified}），现待整改 {open_count}、逾期 {overdue}"
