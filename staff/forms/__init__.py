"""Forms of the staff app, one module per sub-domain; this package only re-exports them."""

from .pay import PayFilingForm
from .principals import CourseForm, StageForm

__all__ = ["CourseForm", "PayFilingForm", "StageForm"]
