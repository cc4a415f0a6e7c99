"""Forms of the safety pages, one module per sub-domain; this package only re-exports them."""

from .common import DATE_WIDGET, PHOTO_ACCEPT, MultipleFileInput, PhotosField
from .hazards import HazardForm, HazardStepForm
from .profiles import SECTIONS, DrillForm, SafetyProfileForm
from .rules import GuardBandsField, SafetyRuleSetForm
from .supervision import InterviewForm, NoticeForm, RectificationLinkForm

__all__ = [
    "DATE_WIDGET",
    "PHOTO_ACCEPT",
    "SECTIONS",
    "DrillForm",
    "GuardBandsField",
    "HazardForm",
    "HazardStepForm",
    "InterviewForm",
    "MultipleFileInput",
    "NoticeForm",
    "PhotosField",
    "RectificationLinkForm",
    "SafetyProfileForm",
    "SafetyRuleSetForm",
]
