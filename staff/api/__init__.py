"""API viewsets of the staff app, one module per sub-domain; this package only re-exports them."""

from .ethics import EthicsRecordViewSet
from .pay import PayFilingViewSet
from .research import PairingViewSet, ResearchClusterViewSet
from .training import TrainingRecordViewSet

__all__ = [
    "EthicsRecordViewSet",
    "PairingViewSet",
    "PayFilingViewSet",
    "ResearchClusterViewSet",
    "TrainingRecordViewSet",
]
