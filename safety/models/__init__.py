"""The safety models, one module per sub-domain; this package only re-exports them."""

from .checks import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    CheckPhoto,
    CheckResult,
    Frozen,
    SafetyCheck,
)
from .footage import (
    FootageHandover,
    FootageRequest,
    FootageRequestQuerySet,
    RecordLocked,
)
from .hazards import (
    Hazard,
    HazardEvent,
    HazardPhoto,
    HazardQuerySet,
)
from .incidents import (
    Dispute,
    Incident,
    Mediation,
)
from .posts import (
    PeakHourRule,
    SafetyPost,
)
from .profiles import (
    Drill,
    SafetyProfile,
)
from .rules import (
    SafetyRuleSet,
)
from .supervision import (
    SupervisionEvent,
    SupervisionInterview,
    SupervisionLadder,
    SupervisionNotice,
    SupervisionOrder,
    level_rank,
)

__all__ = [
    "CheckPhoto",
    "CheckResult",
    "ChecklistItem",
    "ChecklistTemplate",
    "ChecklistVersion",
    "Dispute",
    "Drill",
    "FootageHandover",
    "FootageRequest",
    "FootageRequestQuerySet",
    "Frozen",
    "Hazard",
    "HazardEvent",
    "HazardPhoto",
    "HazardQuerySet",
    "Incident",
    "Mediation",
    "PeakHourRule",
    "RecordLocked",
    "SafetyCheck",
    "SafetyPost",
    "SafetyProfile",
    "SafetyRuleSet",
    "SupervisionEvent",
    "SupervisionInterview",
    "SupervisionLadder",
    "SupervisionNotice",
    "SupervisionOrder",
    "level_rank",
]
