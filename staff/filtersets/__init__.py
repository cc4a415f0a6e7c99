"""FilterSets of the staff app (pages and API), one module per sub-domain; this package only re-exports them."""

from .ethics import EthicsRecordFilterSet
from .pay import PayFilingFilterSet
from .principals import CourseFilterSet, PrincipalFilterSet
from .research import PairingFilterSet, ResearchClusterFilterSet
from .training import TitleApplicationFilterSet, TrainingRecordFilterSet

__all__ = [
    "CourseFilterSet",
    "EthicsRecordFilterSet",
    "PairingFilterSet",
    "PayFilingFilterSet",
    "PrincipalFilterSet",
    "ResearchClusterFilterSet",
    "TitleApplicationFilterSet",
    "TrainingRecordFilterSet",
]
