"""The FilterSets of quality evaluation, one module per sub-domain, each serving a list page and
the API alike; this package only re-exports them. `common` holds the choices they share."""

from .cycles import CycleAssignmentFilterSet, EvaluationCycleFilterSet
from .enforcement import ConductCaseFilterSet, RectificationOrderFilterSet, UnlicensedCaseFilterSet
from .evaluations import ExternalEvaluationFilterSet
from .framework import FrameworkVersionFilterSet
from .issues import QualityIssueFilterSet
from .results import EvaluationResultFilterSet
from .self_assessments import SelfAssessmentFilterSet

__all__ = [
    "ConductCaseFilterSet",
    "CycleAssignmentFilterSet",
    "EvaluationCycleFilterSet",
    "EvaluationResultFilterSet",
    "ExternalEvaluationFilterSet",
    "FrameworkVersionFilterSet",
    "QualityIssueFilterSet",
    "RectificationOrderFilterSet",
    "SelfAssessmentFilterSet",
    "UnlicensedCaseFilterSet",
]
