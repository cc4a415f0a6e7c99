"""Forms of the staff app, one module per sub-domain; this package only re-exports them."""

from .ethics import EthicsRecordForm, SelfCheckForm
from .pay import PayFilingForm
from .principals import CourseForm, StageForm
from .research import ActivityForm, ClusterForm, PairingForm, ReviewForm, TeamForm
from .training import TitleApplicationForm, TitleDecisionForm, TrainingRecordForm

__all__ = [
    "ActivityForm",
    "ClusterForm",
    "CourseForm",
    "EthicsRecordForm",
    "PairingForm",
    "PayFilingForm",
    "ReviewForm",
    "SelfCheckForm",
    "StageForm",
    "TeamForm",
    "TitleApplicationForm",
    "TitleDecisionForm",
    "TrainingRecordForm",
]
