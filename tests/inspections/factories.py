"""Builders for quality-evaluation tests. Most go through the services, as pages do, because
the models refuse direct edits to published handbooks and submitted self-assessments.

Sections: the handbook, the cycle plan and self-assessments; external evaluations and issue lists
built with the ORM; files; supervisory evaluations through the services; the enforcement world
(`enforcement_world`, with `ENFORCEMENT_VISIBLE` per persona); the hand-counted results world
(`results_world`)."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.choices import Role
from inspections import services
from inspections.choices import (
    ConductCaseKind,
    EvaluationStatus,
    IssueSource,
    IssueStatus,
    OrderReason,
    PointOrigin,
    ResultGrade,
)
from inspections.models import (
    CycleAssignment,
    EvaluationCycle,
    EvaluationTeam,
    ExternalEvaluation,
    ExternalRating,
    FrameworkVersion,
    KeyIndicator,
    QualityIssue,
    RatingLevel,
    SelfAssessment,
)
from inspections.services import enforcement
from inspections.services import evaluations as evaluation_services
from kindergartens.choices import InclusiveStatus, SponsorType
from kindergartens.models import Kindergarten
from tests.factories import KindergartenFactory, UserFactory, subdistrict


def national_framework() -> FrameworkVersion:
    """Version 1, seeded by the data migration."""
    return FrameworkVersion.objects.get(version=1)


def bureau_user():
    return UserFactory(role=Role.BUREAU_OFFICIAL)


def handbook(
    *, points_per_indicator: int = 1, by=None, name: str = "朝阳区幼儿园保育教育质量评估手册"
) -> FrameworkVersion:
    """A published district handbook: version 1 copied, `points_per_indicator` points under each
    of the 15 key indicators (district wording, clearly test text), published."""
    by = by or bureau_user()
    draft = services.framework_version_copy(source=national_framework(), user=by, name=name)
    for indicator in KeyIndicator.objects.filter(area__framework_version=draft).order_by("order"):
        for n in range(1, points_per_indicator + 1):
            services.assessment_point_create(
                key_indicator=indicator,
                user=by,
                text=f"测试要点：{indicator.name}（{n}）",
                guidance="观察一日活动",
                evidence_expected="活动记录",
                origin=PointOrigin.DISTRICT,
            )
    return services.framework_version_publish(version=draft, user=by)


def cycle(*, version: FrameworkVersion | None = None, start_year: int | None = None, by=None) -> EvaluationCycle:
    by = by or bureau_user()
    start_year = start_year or timezone.localdate().year
    return services.evaluation_cycle_create(
        name=f"{start_year}—{start_year + 2} 年评估周期",
        start_year=start_year,
        framework_version=version or handbook(by=by),
        user=by,
    )


def assign(cycle: EvaluationCycle, kindergarten, *, year: int | None = None) -> CycleAssignment:
    year = year or cycle.start_year
    return CycleAssignment.objects.create(
        cycle=cycle, kindergarten=kindergarten, planned_year=year, self_assessment_due=cycle.due_date_for(year)
    )


def levels(version: FrameworkVersion) -> list[RatingLevel]:
    return list(RatingLevel.objects.filter(scale=version.rating_scale).order_by("value"))


def rate_all(assessment: SelfAssessment, director, *, value: int = 3, skip: int = 0) -> None:
    """Rates every point of the assessment (but the last `skip`) with level `value`."""
    level = RatingLevel.objects.get(scale=assessment.framework_version.rating_scale, value=value)
    points = list(assessment.framework_version.points())
    rated = points[: len(points) - skip] if skip else points
    services.self_assessment_save(
        assessment=assessment,
        user=director,
        ratings={p.pk: services.RatingInput(level.pk, f"说明 {p.pk}") for p in rated},
    )


def submitted(cycle: EvaluationCycle, kindergarten, director) -> SelfAssessment:
    assessment = services.self_assessment_start(kindergarten=kindergarten, cycle=cycle, user=director)
    rate_all(assessment, director)
    return services.self_assessment_submit(assessment=assessment, user=director)


def add_kindergartens_with_assessments(evaluation_cycle: EvaluationCycle, n: int) -> None:
    """`n` more kindergartens (in 劲松) in the plan, each with a draft self-assessment rated but for
    three points: more rows for the query-count tests."""
    for kindergarten in KindergartenFactory.create_batch(n, subdistrict=subdistrict("劲松")):
        services.cycle_assign_kindergartens(cycle=evaluation_cycle, user=UserFactory(role=Role.BUREAU_OFFICIAL))
        director = UserFactory(role=Role.DIRECTOR, kindergarten=kindergarten)
        assessment = services.self_assessment_start(kindergarten=kindergarten, cycle=evaluation_cycle, user=director)
        rate_all(assessment, director, skip=3)


# --- external evaluations and issue lists -------------------------------------------------------
# Built with the ORM (the services of these steps are tested on their own): the models do not
# refuse creating a row in any status, only changing one that is already published.


def team(cycle: EvaluationCycle, *members, name: str = "第一评估组") -> EvaluationTeam:
    built = EvaluationTeam.objects.create(cycle=cycle, name=name, leader=members[0] if members else None)
    built.members.set(members)
    return built


def external_evaluation(
    cycle: EvaluationCycle,
    kindergarten,
    *,
    team: EvaluationTeam | None = None,
    status: str = EvaluationStatus.DRAFT,
    grade: str = "",
    value: int | None = None,
    findings: str = "",
) -> ExternalEvaluation:
    """An external evaluation; with `value`, every point rated at that level (with `findings`)."""
    if status == EvaluationStatus.PUBLISHED and not grade:
        grade = ResultGrade.GOOD
    evaluation = ExternalEvaluation.objects.create(
        kindergarten=kindergarten,
        cycle=cycle,
        framework_version=cycle.framework_version,
        team=team or globals()["team"](cycle, name=f"评估组 {kindergarten.code}"),
        visit_date=timezone.localdate(),
        status=status,
        grade=grade,
        published_at=timezone.now() if status == EvaluationStatus.PUBLISHED else None,
    )
    if value is not None:
        level = RatingLevel.objects.get(scale=cycle.framework_version.rating_scale, value=value)
        ExternalRating.objects.bulk_create(
            ExternalRating(evaluation=evaluation, point=point, level=level, findings=findings)
            for point in cycle.framework_version.points()
        )
    return evaluation


def quality_issue(cycle: EvaluationCycle, kindergarten, *, evaluation=None, deadline=None, **fields) -> QualityIssue:
    """An open issue on the framework's first point, from `evaluation` (or a self-assessment source)."""
    source = IssueSource.EXTERNAL_EVALUATION if evaluation else IssueSource.SELF_ASSESSMENT
    return QualityIssue.objects.create(
        kindergarten=kindergarten,
        cycle=cycle,
        point=fields.pop("point", None) or cycle.framework_version.points().first(),
        source=source,
        external_evaluation=evaluation,
        description=fields.pop("description", "区域活动材料投放不足"),
        deadline=deadline or timezone.localdate() + datetime.timedelta(days=30),
        **fields,
    )


# --- files ------------------------------------------------------------------------------------

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def office_bytes(kind: str = "docx") -> bytes:
    """A minimal but structurally real OOXML package of the given kind."""
    part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(part, '<?xml version="1.0"?><root/>')
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- supervisory (external) evaluations through the services --------------------------------------


def evaluator(*kindergartens, username: str | None = None):
    """An inspector (optionally with some kindergartens already in scope)."""
    user = UserFactory(role=Role.INSPECTOR, **({"username": username} if username else {}))
    if kindergartens:
        user.assigned_kindergartens.set(kindergartens)
    return user


def formed_team(cycle: EvaluationCycle, bureau, *members, name: str = "第一评估组") -> EvaluationTeam:
    return evaluation_services.evaluation_team_create(
        cycle=cycle, name=name, user=bureau, leader=members[0] if members else None, members=list(members)
    )


def assigned(team: EvaluationTeam, bureau, kindergarten) -> ExternalEvaluation:
    evaluation_services.evaluation_assign(team=team, kindergartens=[kindergarten], user=bureau)
    return ExternalEvaluation.objects.get(cycle=team.cycle, kindergarten=kindergarten)


def rate(evaluation: ExternalEvaluation, user, *, value: int = 3, skip: int = 0, findings: str = "") -> None:
    """Rates every point (but the last `skip`) at level `value`, with a visit date of yesterday."""
    level = RatingLevel.objects.get(scale=evaluation.framework_version.rating_scale, value=value)
    points = list(evaluation.framework_version.points())
    rated = points[: len(points) - skip] if skip else points
    evaluation_services.evaluation_save(
        evaluation=evaluation,
        user=user,
        ratings={p.pk: evaluation_services.FindingInput(level.pk, findings) for p in rated},
        visit_date=timezone.localdate() - datetime.timedelta(days=1),
        summary="总体良好",
    )


def submitted_evaluation(team: EvaluationTeam, bureau, kindergarten, user, *, value: int = 3, grade: str = "good"):
    evaluation = assigned(team, bureau, kindergarten)
    rate(evaluation, user, value=value)
    evaluation_services.evaluation_save(evaluation=evaluation, user=user, ratings={}, grade=grade)
    return evaluation_services.evaluation_submit(evaluation=evaluation, user=user)


# --- enforcement: one order, unlicensed case and conduct case per place the persona fixtures ------
# (A, B in 望京; C in 双井) can or cannot see. Built through the enforcement services.


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


def enforcement_world(personas, kg_a, kg_b, kg_c) -> SimpleNamespace:
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


# Which rows of `enforcement_world` each persona sees.
ENFORCEMENT_VISIBLE = {
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
ENFORCEMENT_ALL = {
    "orders": {"order_a", "order_b", "order_c"},
    "unlicensed": {"case_w", "case_wb", "case_s"},
    "conduct": {"conduct_w", "conduct_a", "conduct_c"},
}


# --- results: a small district with published and unpublished results ---------------------------
# A small district with published and unpublished results, for the use-of-results tests.
#
# Hand-counted (cycle of this year; A, B, E in 望京; C, D, F in 双井; every one planned):
#
# | kg | ownership / sponsor | evaluation | unresolved issues (overdue) |
# |---|---|---|---|
# | A | public, education bureau | published, 优秀 (rated 4) | 1 (0) + 1 verified |
# | B | public, education bureau | published, 合格 (rated 2) | 2 (2) |
# | C | public, education bureau | submitted, 良好 — not a result | 1 (1) |
# | D | private non-profit | published, 良好 | 0 |
# | E | private for-profit | published, 不合格 | 0 |
# | F | public, education bureau | none | 0 |


PAST = timezone.localdate() - datetime.timedelta(days=5)
SUMMARY_A = "保教结合落实到位，师幼互动质量高。"
FINDINGS = "区域活动材料丰富，教师观察记录完整"


@dataclass
class ResultsWorld:
    cycle: EvaluationCycle
    kgs: dict[str, Kindergarten]
    evaluations: dict[str, ExternalEvaluation]
    issues: dict[str, QualityIssue]


def results_world(kg_a, kg_b, kg_c, *, by=None) -> ResultsWorld:
    wangjing, shuangjing = kg_a.subdistrict, kg_c.subdistrict
    kg_d = KindergartenFactory(
        code="KGD0001",
        name="双井启明幼儿园",
        subdistrict=shuangjing,
        sponsor_type=SponsorType.PRIVATE_NONPROFIT,
        inclusive_status=InclusiveStatus.INCLUSIVE_PRIVATE,
        recognition_date="2022-09-01",
    )
    kg_e = KindergartenFactory(
        code="KGE0001",
        name="望京小橡树幼儿园",
        subdistrict=wangjing,
        sponsor_type=SponsorType.PRIVATE_FORPROFIT,
        inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
    )
    kg_f = KindergartenFactory(code="KGF0001", name="双井第二幼儿园", subdistrict=shuangjing)
    evaluation_cycle = cycle(by=by)
    kgs = {"A": kg_a, "B": kg_b, "C": kg_c, "D": kg_d, "E": kg_e, "F": kg_f}
    for kindergarten in kgs.values():
        assign(evaluation_cycle, kindergarten)
    published = EvaluationStatus.PUBLISHED
    evaluations = {
        "A": external_evaluation(
            evaluation_cycle, kg_a, status=published, grade=ResultGrade.EXCELLENT, value=4, findings=FINDINGS
        ),
        "B": external_evaluation(evaluation_cycle, kg_b, status=published, grade=ResultGrade.QUALIFIED, value=2),
        "C": external_evaluation(
            evaluation_cycle, kg_c, status=EvaluationStatus.SUBMITTED, grade=ResultGrade.GOOD, value=3
        ),
        "D": external_evaluation(evaluation_cycle, kg_d, status=published, grade=ResultGrade.GOOD, value=3),
        "E": external_evaluation(evaluation_cycle, kg_e, status=published, grade=ResultGrade.UNQUALIFIED, value=1),
    }
    ExternalEvaluation.objects.filter(pk=evaluations["A"].pk).update(summary=SUMMARY_A)
    evaluations["A"].refresh_from_db()
    issues = {
        "A_open": quality_issue(evaluation_cycle, kg_a, evaluation=evaluations["A"], description="户外活动时间不足"),
        "A_verified": quality_issue(
            evaluation_cycle,
            kg_a,
            evaluation=evaluations["A"],
            description="午睡室通风记录缺失",
            deadline=PAST,
            status=IssueStatus.VERIFIED,
        ),
        "B_open": quality_issue(evaluation_cycle, kg_b, evaluation=evaluations["B"], deadline=PAST),
        "B_reported": quality_issue(
            evaluation_cycle, kg_b, evaluation=evaluations["B"], deadline=PAST, status=IssueStatus.REPORTED
        ),
        "C_open": quality_issue(evaluation_cycle, kg_c, deadline=PAST, description="晨检记录不完整"),
    }
    return ResultsWorld(cycle=evaluation_cycle, kgs=kgs, evaluations=evaluations, issues=issues)
