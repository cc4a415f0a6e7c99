"""The safety API, one module per sub-domain (serializers and viewsets together); this package only re-exports them."""

from .hazards import HazardSerializer, HazardViewSet
from .profiles import PROFILE_FIELDS, SafetyProfileSerializer, SafetyProfileViewSet
from .records import (
    FootageRequestSerializer,
    FootageRequestViewSet,
    IncidentSerializer,
    IncidentViewSet,
    SafetyPostSerializer,
    SafetyPostViewSet,
)

__all__ = [
    "PROFILE_FIELDS",
    "FootageRequestSerializer",
    "FootageRequestViewSet",
    "HazardSerializer",
    "HazardViewSet",
    "IncidentSerializer",
    "IncidentViewSet",
    "SafetyPostSerializer",
    "SafetyPostViewSet",
    "SafetyProfileSerializer",
    "SafetyProfileViewSet",
]
