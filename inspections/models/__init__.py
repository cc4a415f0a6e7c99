"""The models of quality evaluation, one module per sub-domain; this package only re-exports them.

`framework` (rating scales, the handbook's versions, areas, key indicators, points), `cycles`
(three-year cycles and the year each kindergarten is evaluated in), `self_assessments`,
`evaluations` (supervisory evaluations and their teams), `issues` (issue lists and
improvement), `enforcement` (rectification orders, unlicensed and conduct cases); `common`
holds what they share (`Locked`, attachments). Other code imports `from inspections.models
import X`, and migrations name `inspections.models.attachment_upload_to`.
"""

from .common import DEMO_PREFIX, AttachmentBase, Locked, PointRating, attachment_upload_to
from .cycles import (
    CYCLE_YEARS,
    CycleAssignment,
    CycleAssignmentQuerySet,
    EvaluationCycle,
    EvaluationCycleQuerySet,
    accepted_self_assessment,
    submitted_self_assessment,
)
from .enforcement import (
    CaseQuerySet,
    ConductCase,
    EnforcementQuerySet,
    FollowUpQuerySet,
    FollowUpVisit,
    RectificationOrder,
    UnlicensedCase,
)
from .evaluations import (
    EvaluationTeam,
    EvaluationTeamQuerySet,
    ExternalEvaluation,
    ExternalEvaluationAttachment,
    ExternalEvaluationQuerySet,
    ExternalPartQuerySet,
    ExternalRating,
)
from .framework import (
    Area,
    AreaQuerySet,
    AssessmentPoint,
    AssessmentPointQuerySet,
    FrameworkQuerySet,
    FrameworkVersion,
    KeyIndicator,
    KeyIndicatorQuerySet,
    RatingLevel,
    RatingScale,
    RatingScaleQuerySet,
)
from .issues import IssueAttachment, IssueEvent, IssuePartQuerySet, QualityIssue, QualityIssueQuerySet
from .self_assessments import (
    AssessmentPart,
    AssessmentPartQuerySet,
    SelfAssessment,
    SelfAssessmentAttachment,
    SelfAssessmentQuerySet,
    SelfAssessmentRating,
)

__all__ = [
    "CYCLE_YEARS",
    "DEMO_PREFIX",
    "Area",
    "AreaQuerySet",
    "AssessmentPart",
    "AssessmentPartQuerySet",
    "AssessmentPoint",
    "AssessmentPointQuerySet",
    "AttachmentBase",
    "CaseQuerySet",
    "ConductCase",
    "CycleAssignment",
    "CycleAssignmentQuerySet",
    "EnforcementQuerySet",
    "EvaluationCycle",
    "EvaluationCycleQuerySet",
    "EvaluationTeam",
    "EvaluationTeamQuerySet",
    "ExternalEvaluation",
    "ExternalEvaluationAttachment",
    "ExternalEvaluationQuerySet",
    "ExternalPartQuerySet",
    "ExternalRating",
    "FollowUpQuerySet",
    "FollowUpVisit",
    "FrameworkQuerySet",
    "FrameworkVersion",
    "IssueAttachment",
    "IssueEvent",
    "IssuePartQuerySet",
    "KeyIndicator",
    "KeyIndicatorQuerySet",
    "Locked",
    "PointRating",
    "QualityIssue",
    "QualityIssueQuerySet",
    "RatingLevel",
    "RatingScale",
    "RatingScaleQuerySet",
    "RectificationOrder",
    "SelfAssessment",
    "SelfAssessmentAttachment",
    "SelfAssessmentQuerySet",
    "SelfAssessmentRating",
    "UnlicensedCase",
    "accepted_self_assessment",
    "attachment_upload_to",
    "submitted_self_assessment",
]

from .order_answers import AnswerDecision, OrderAnswer, OrderAnswerAttachment  # noqa: F401
