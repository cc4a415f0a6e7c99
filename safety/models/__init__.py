"""The safety models, one module per sub-domain; this package only re-exports them."""

from .hazards import Hazard, HazardEvent, HazardPhoto, HazardQuerySet
from .profiles import Drill, SafetyProfile
from .rules import SafetyRuleSet
from .supervision import (
    SupervisionEvent,
    SupervisionInterview,
    SupervisionLadder,
    SupervisionNotice,
    SupervisionOrder,
    level_rank,
)

__all__ = [
    "Drill",
    "Hazard",
    "HazardEvent",
    "HazardPhoto",
    "HazardQuerySet",
    "SafetyProfile",
    "SafetyRuleSet",
    "SupervisionEvent",
    "SupervisionInterview",
    "SupervisionLadder",
    "SupervisionNotice",
    "SupervisionOrder",
    "level_rank",
]
