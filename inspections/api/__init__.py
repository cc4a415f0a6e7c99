"""The quality-evaluation API, one module per sub-domain, each holding its serializers together
with its viewsets: `framework`, `cycles`, `self_assessments`, `evaluations`, `issues`,
`enforcement`, `results`; `common` holds what they share (`service_errors`).

Every viewset is scoped through `restrict(user, action)` (`ScopedViewSetMixin`). Reads are
nested; writes are plain inputs handed to `inspections.services`, where the rules live, so the
API enforces exactly what the pages enforce. This package only re-exports the viewsets that
`chaoyang_preschool/api_urls.py` registers.
"""

from .cycles import CycleAssignmentViewSet, EvaluationCycleViewSet
from .enforcement import ConductCaseViewSet, RectificationOrderViewSet, UnlicensedCaseViewSet
from .evaluations import EvaluationTeamViewSet, ExternalEvaluationViewSet
from .framework import FrameworkVersionViewSet
from .issues import QualityIssueViewSet
from .results import EvaluationResultViewSet
from .self_assessments import SelfAssessmentViewSet

__all__ = [
    "ConductCaseViewSet",
    "CycleAssignmentViewSet",
    "EvaluationCycleViewSet",
    "EvaluationResultViewSet",
    "EvaluationTeamViewSet",
    "ExternalEvaluationViewSet",
    "FrameworkVersionViewSet",
    "QualityIssueViewSet",
    "RectificationOrderViewSet",
    "SelfAssessmentViewSet",
    "UnlicensedCaseViewSet",
]
