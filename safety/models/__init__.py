"""The safety models, one module per sub-domain; this package only re-exports them."""

from .footage import FootageHandover, FootageRequest, FootageRequestQuerySet, RecordLocked
from .hazards import Hazard, HazardEvent, HazardPhoto, HazardQuerySet
from .incidents import Dispute, Incident, Mediation
from .posts import PeakHourRule, SafetyPost
from .profiles import Drill, SafetyProfile
from .rules import SafetyRuleSet

__all__ = [
    "Dispute",
    "Drill",
    "FootageHandover",
    "FootageRequest",
    "FootageRequestQuerySet",
    "Hazard",
    "HazardEvent",
    "HazardPhoto",
    "HazardQuerySet",
    "Incident",
    "Mediation",
    "PeakHourRule",
    "RecordLocked",
    "SafetyPost",
    "SafetyProfile",
    "SafetyRuleSet",
]
