"""One FilterSet per model, serving both the list page and the API; one module per sub-domain."""

from .checks import (
    SafetyCheckFilterSet,
)
from .hazards import (
    HazardFilterSet,
)
from .profiles import (
    SafetyProfileFilterSet,
)
from .records import (
    DisputeFilterSet,
    FootageRequestFilterSet,
    IncidentFilterSet,
    SafetyPostFilterSet,
)
from .supervision import (
    SupervisionOrderFilterSet,
)

__all__ = [
    "DisputeFilterSet",
    "FootageRequestFilterSet",
    "HazardFilterSet",
    "IncidentFilterSet",
    "SafetyCheckFilterSet",
    "SafetyPostFilterSet",
    "SafetyProfileFilterSet",
    "SupervisionOrderFilterSet",
]
