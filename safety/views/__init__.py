"""The safety pages, one module per sub-domain; this package only re-exports them."""

from .hazards import (
    HazardCreateView,
    HazardDetailView,
    HazardListView,
    HazardOverdueView,
    HazardPhotoView,
    HazardStepView,
)
from .profiles import DrillCreateView, SafetyIndexView, SafetyProfileDetailView, SafetyProfileEditView
from .supervision import (
    SupervisionDetailView,
    SupervisionFileView,
    SupervisionLinkView,
    SupervisionListView,
    SupervisionOpenView,
    SupervisionRecordView,
)

__all__ = [
    "DrillCreateView",
    "HazardCreateView",
    "HazardDetailView",
    "HazardListView",
    "HazardOverdueView",
    "HazardPhotoView",
    "HazardStepView",
    "SafetyIndexView",
    "SafetyProfileDetailView",
    "SafetyProfileEditView",
    "SupervisionDetailView",
    "SupervisionFileView",
    "SupervisionLinkView",
    "SupervisionListView",
    "SupervisionOpenView",
    "SupervisionRecordView",
]
