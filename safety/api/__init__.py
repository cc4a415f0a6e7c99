"""The safety API, one module per sub-domain (serializers and viewsets together); this package only re-exports them."""

from .checks import (
    ChecklistTemplateViewSet,
    SafetyCheckSerializer,
    SafetyCheckViewSet,
)
from .hazards import (
    HazardSerializer,
    HazardViewSet,
)
from .profiles import (
    PROFILE_FIELDS,
    SafetyProfileSerializer,
    SafetyProfileViewSet,
)
from .records import (
    FootageRequestSerializer,
    FootageRequestViewSet,
    IncidentSerializer,
    IncidentViewSet,
    SafetyPostSerializer,
    SafetyPostViewSet,
)
from .supervision import (
    SupervisionOrderSerializer,
    SupervisionOrderViewSet,
)

__all__ = [
    "PROFILE_FIELDS",
    "ChecklistTemplateViewSet",
    "FootageRequestSerializer",
    "FootageRequestViewSet",
    "HazardSerializer",
    "HazardViewSet",
    "IncidentSerializer",
    "IncidentViewSet",
    "SafetyCheckSerializer",
    "SafetyCheckViewSet",
    "SafetyPostSerializer",
    "SafetyPostViewSet",
    "SafetyProfileSerializer",
    "SafetyProfileViewSet",
    "SupervisionOrderSerializer",
    "SupervisionOrderViewSet",
]
