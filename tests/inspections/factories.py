"""Builders for quality-evaluation tests. They go through the services, as pages do, because
the models refuse direct edits to published handbooks and submitted self-assessments."""

from __future__ import annotations

import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.choices import Role
from inspections import services
from inspections.choices import EvaluationStatus, IssueSource, PointOrigin, ResultGrade
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
from tests.factories import UserFactory


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
