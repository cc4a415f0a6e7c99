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
from .rules import SafetyRuleSetCreateView, SafetyRuleSetDetailView, SafetyRuleSetEditView, SafetyRuleSetListView
from .supervision import (
    SupervisionDetailView,
    SupervisionFileView,
    SupervisionLinkView,
    SupervisionListView,
    SupervisionOpenView,
    SupervisionRecordView,
)
from .transfer import HazardExportView, SafetyProfileExportView, SafetyProfileImportView, SafetyProfileTemplateView

__all__ = [
    "DrillCreateView",
    "HazardCreateView",
    "HazardDetailView",
    "HazardExportView",
    "HazardListView",
    "HazardOverdueView",
    "HazardPhotoView",
    "HazardStepView",
    "SafetyIndexView",
    "SafetyProfileDetailView",
    "SafetyProfileEditView",
    "SafetyProfileExportView",
    "SafetyProfileImportView",
    "SafetyProfileTemplateView",
    "SafetyRuleSetCreateView",
    "SafetyRuleSetDetailView",
    "SafetyRuleSetEditView",
    "SafetyRuleSetListView",
    "SupervisionDetailView",
    "SupervisionFileView",
    "SupervisionLinkView",
    "SupervisionListView",
    "SupervisionOpenView",
    "SupervisionRecordView",
]
