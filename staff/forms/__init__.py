"""The staff forms, one module per sub-domain; this package only re-exports them."""

from .ethics import (
    EthicsRecordForm,
    SelfCheckForm,
)
from .pay import (
    PayFilingForm,
)
from .people import (
    CertificateEditFormSet,
    CertificateFormSet,
    PersonEditForm,
    PersonForm,
    PostEditForm,
    PostForm,
    RevealForm,
)
from .principals import (
    CourseForm,
    StageForm,
)
from .research import (
    ActivityForm,
    ClusterForm,
    PairingForm,
    ReviewForm,
    TeamForm,
)
from .training import (
    TitleApplicationForm,
    TitleDecisionForm,
    TrainingRecordForm,
)

__all__ = [
    "ActivityForm",
    "CertificateEditFormSet",
    "CertificateFormSet",
    "ClusterForm",
    "CourseForm",
    "EthicsRecordForm",
    "PairingForm",
    "PayFilingForm",
    "PersonEditForm",
    "PersonForm",
    "PostEditForm",
    "PostForm",
    "RevealForm",
    "ReviewForm",
    "SelfCheckForm",
    "StageForm",
    "TeamForm",
    "TitleApplicationForm",
    "TitleDecisionForm",
    "TrainingRecordForm",
]
