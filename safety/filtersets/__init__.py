"""One FilterSet per model, serving both the list page and the API; one module per sub-domain."""

from .hazards import HazardFilterSet
from .profiles import SafetyProfileFilterSet
from .supervision import SupervisionOrderFilterSet

__all__ = ["HazardFilterSet", "SafetyProfileFilterSet", "SupervisionOrderFilterSet"]
