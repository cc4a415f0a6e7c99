"""The safety API, one module per sub-domain (serializers and viewsets together); this package only re-exports them."""

from .checks import ChecklistTemplateViewSet, SafetyCheckSerializer, SafetyCheckViewSet
from .hazards import HazardSerializer, HazardViewSet
from .profiles import PROFILE_FIELDS, SafetyProfileSerializer, SafetyProfileViewSet

__all__ = [
    "PROFILE_FIELDS",
    "ChecklistTemplateViewSet",
    "HazardSerializer",
    "HazardViewSet",
    "SafetyCheckSerializer",
    "SafetyCheckViewSet",
    "SafetyProfileSerializer",
    "SafetyProfileViewSet",
]
