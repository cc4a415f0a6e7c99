"""The safety pages, one module per sub-domain; this package only re-exports them."""

from .checks import (
    ChecklistCreateView,
    ChecklistDetailView,
    ChecklistEditView,
    ChecklistItemDeleteView,
    ChecklistItemFormView,
    ChecklistListView,
    ChecklistVersionStepView,
    ChecklistVersionView,
    CheckPhotoView,
    SafetyCheckCreateView,
    SafetyCheckDetailView,
    SafetyCheckFillView,
    SafetyCheckListView,
)
from .hazards import (
    HazardCreateView,
    HazardDetailView,
    HazardListView,
    HazardOverdueView,
    HazardPhotoView,
    HazardStepView,
)
from .profiles import DrillCreateView, SafetyIndexView, SafetyProfileDetailView, SafetyProfileEditView

__all__ = [
    "CheckPhotoView",
    "ChecklistCreateView",
    "ChecklistDetailView",
    "ChecklistEditView",
    "ChecklistItemDeleteView",
    "ChecklistItemFormView",
    "ChecklistListView",
    "ChecklistVersionStepView",
    "ChecklistVersionView",
    "DrillCreateView",
    "HazardCreateView",
    "HazardDetailView",
    "HazardListView",
    "HazardOverdueView",
    "HazardPhotoView",
    "HazardStepView",
    "SafetyCheckCreateView",
    "SafetyCheckDetailView",
    "SafetyCheckFillView",
    "SafetyCheckListView",
    "SafetyIndexView",
    "SafetyProfileDetailView",
    "SafetyProfileEditView",
]
