"""django-tables2 tables of the safety pages, one module per sub-domain; this package only re-exports them."""

from .checks import (
    SafetyCheckTable,
)
from .hazards import (
    HazardTable,
)
from .profiles import (
    YES_NO,
    KindergartenSafetyTable,
)
from .records import (
    DisputeTable,
    FootageRequestTable,
    IncidentTable,
    SafetyPostTable,
)
from .supervision import (
    SupervisionOrderTable,
)

__all__ = [
    "YES_NO",
    "DisputeTable",
    "FootageRequestTable",
    "HazardTable",
    "IncidentTable",
    "KindergartenSafetyTable",
    "SafetyCheckTable",
    "SafetyPostTable",
    "SupervisionOrderTable",
]
