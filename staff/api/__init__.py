"""The staff API, one module per sub-domain (serializers and viewsets together); this package only re-exports them."""

from .certificates import (
    CertificateSerializer,
    CertificateViewSet,
)
from .ethics import (
    EthicsRecordViewSet,
)
from .pay import (
    PayFilingViewSet,
)
from .people import (
    StaffMemberSerializer,
    StaffMemberViewSet,
)
from .research import (
    PairingViewSet,
    ResearchClusterViewSet,
)
from .training import (
    TrainingRecordViewSet,
)

__all__ = [
    "CertificateSerializer",
    "CertificateViewSet",
    "EthicsRecordViewSet",
    "PairingViewSet",
    "PayFilingViewSet",
    "ResearchClusterViewSet",
    "StaffMemberSerializer",
    "StaffMemberViewSet",
    "TrainingRecordViewSet",
]
