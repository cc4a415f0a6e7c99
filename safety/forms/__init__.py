"""Forms of the safety pages, one module per sub-domain; this package only re-exports them."""

from .checks import (
    CheckFillForm,
    ChecklistItemForm,
    ChecklistTemplateForm,
    CheckStartForm,
)
from .common import (
    DATE_WIDGET,
    PHOTO_ACCEPT,
    MultipleFileInput,
    PhotosField,
)
from .hazards import (
    HazardForm,
    HazardStepForm,
)
from .profiles import (
    SECTIONS,
    DrillForm,
    SafetyProfileForm,
)
from .records import (
    DisputeForm,
    FootageCorrectionForm,
    FootageDecisionForm,
    FootageHandoverForm,
    FootageRequestForm,
    IncidentForm,
    MediationForm,
    SafetyPostForm,
    keepable_kindergartens,
)
from .rules import (
    GuardBandsField,
    SafetyRuleSetForm,
)
from .supervision import (
    InterviewForm,
    NoticeForm,
    RectificationLinkForm,
)

__all__ = [
    "DATE_WIDGET",
    "PHOTO_ACCEPT",
    "SECTIONS",
    "CheckFillForm",
    "CheckStartForm",
    "ChecklistItemForm",
    "ChecklistTemplateForm",
    "DisputeForm",
    "DrillForm",
    "FootageCorrectionForm",
    "FootageDecisionForm",
    "FootageHandoverForm",
    "FootageRequestForm",
    "GuardBandsField",
    "HazardForm",
    "HazardStepForm",
    "IncidentForm",
    "InterviewForm",
    "MediationForm",
    "MultipleFileInput",
    "NoticeForm",
    "PhotosField",
    "RectificationLinkForm",
    "SafetyPostForm",
    "SafetyProfileForm",
    "SafetyRuleSetForm",
    "keepable_kindergartens",
]
