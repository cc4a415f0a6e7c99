"""The safety pages, one module per sub-domain; this package only re-exports them."""

from .footage import (
    FootageCorrectView,
    FootageCreateView,
    FootageDetailView,
    FootageEditView,
    FootageListView,
    FootageStepView,
)
from .hazards import (
    HazardCreateView,
    HazardDetailView,
    HazardListView,
    HazardOverdueView,
    HazardPhotoView,
    HazardStepView,
)
from .incidents import (
    DisputeCreateView,
    DisputeDetailView,
    DisputeEditView,
    DisputeListView,
    IncidentCreateView,
    IncidentDetailView,
    IncidentEditView,
    IncidentExportView,
    IncidentListView,
    MediationCreateView,
)
from .posts import PostCoverageView, SafetyPostCreateView, SafetyPostEditView, SafetyPostListView
from .profiles import DrillCreateView, SafetyIndexView, SafetyProfileDetailView, SafetyProfileEditView
from .rules import SafetyRuleSetCreateView, SafetyRuleSetDetailView, SafetyRuleSetEditView, SafetyRuleSetListView
from .transfer import HazardExportView, SafetyProfileExportView, SafetyProfileImportView, SafetyProfileTemplateView

__all__ = [
    "DisputeCreateView",
    "DisputeDetailView",
    "DisputeEditView",
    "DisputeListView",
    "DrillCreateView",
    "FootageCorrectView",
    "FootageCreateView",
    "FootageDetailView",
    "FootageEditView",
    "FootageListView",
    "FootageStepView",
    "HazardCreateView",
    "HazardDetailView",
    "HazardExportView",
    "HazardListView",
    "HazardOverdueView",
    "HazardPhotoView",
    "HazardStepView",
    "IncidentCreateView",
    "IncidentDetailView",
    "IncidentEditView",
    "IncidentExportView",
    "IncidentListView",
    "MediationCreateView",
    "PostCoverageView",
    "SafetyIndexView",
    "SafetyPostCreateView",
    "SafetyPostEditView",
    "SafetyPostListView",
    "SafetyProfileDetailView",
    "SafetyProfileEditView",
    "SafetyProfileExportView",
    "SafetyProfileImportView",
    "SafetyProfileTemplateView",
    "SafetyRuleSetCreateView",
    "SafetyRuleSetDetailView",
    "SafetyRuleSetEditView",
    "SafetyRuleSetListView",
]
