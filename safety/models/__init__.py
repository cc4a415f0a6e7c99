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
from .hazards import Hazard, HazardEvent, HazardPhoto, HazardQuerySet
from .profiles import Drill, SafetyProfile
from .rules import SafetyRuleSet

__all__ = [
    "CheckPhoto",
    "CheckResult",
    "ChecklistItem",
    "ChecklistTemplate",
    "ChecklistVersion",
    "Drill",
    "Frozen",
    "Hazard",
    "HazardEvent",
    "HazardPhoto",
    "HazardQuerySet",
    "SafetyCheck",
    "SafetyProfile",
    "SafetyRuleSet",
]
