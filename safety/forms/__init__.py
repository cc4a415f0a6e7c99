"""Forms of the safety pages, one module per sub-domain; this package only re-exports them."""

from .checks import CheckFillForm, ChecklistItemForm, ChecklistTemplateForm, CheckStartForm
from .common import DATE_WIDGET, PHOTO_ACCEPT, MultipleFileInput, PhotosField
from .hazards import HazardForm, HazardStepForm
from .profiles import SECTIONS, DrillForm, SafetyProfileForm

__all__ = [
    "DATE_WIDGET",
    "PHOTO_ACCEPT",
    "SECTIONS",
    "CheckFillForm",
    "CheckStartForm",
    "ChecklistItemForm",
    "ChecklistTemplateForm",
    "DrillForm",
    "HazardForm",
    "HazardStepForm",
    "MultipleFileInput",
    "PhotosField",
    "SafetyProfileForm",
]
