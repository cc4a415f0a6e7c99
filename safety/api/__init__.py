"""The safety API, one module per sub-domain (serializers and viewsets together); this package only re-exports them."""

from .hazards import HazardSerializer, HazardViewSet
from .profiles import PROFILE_FIELDS, SafetyProfileSerializer, SafetyProfileViewSet
from .supervision import SupervisionOrderSerializer, SupervisionOrderViewSet

__all__ = [
    "PROFILE_FIELDS",
    "HazardSerializer",
    "HazardViewSet",
    "SafetyProfileSerializer",
    "SafetyProfileViewSet",
    "SupervisionOrderSerializer",
    "SupervisionOrderViewSet",
]
