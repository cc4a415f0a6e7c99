"""The staff services (every write), one module per sub-domain; this package only re-exports them."""

from .common import (
    may_keep_staff,
)
from .ethics import (
    ethics_record_save,
    self_check_save,
)
from .pay import (
    may_file_pay,
    pay_filing_save,
)
from .people import (
    certificates_save,
    id_reveal,
    person_for_number,
    person_update,
    staff_member_add,
    staff_member_update,
)
from .principals import (
    course_save,
    post_on,
    stage_record,
)
from .research import (
    activity_record,
    cluster_save,
    pairing_review_save,
    pairing_save,
    team_save,
)
from .training import (
    attendance_columns,
    attendance_import,
    may_keep,
    title_application_add,
    title_application_decide,
    training_record_add,
)
from .transfer import (
    ImportResult,
    import_staff,
)

__all__ = [
    "ImportResult",
    "activity_record",
    "attendance_columns",
    "attendance_import",
    "certificates_save",
    "cluster_save",
    "course_save",
    "ethics_record_save",
    "id_reveal",
    "import_staff",
    "may_file_pay",
    "may_keep",
    "may_keep_staff",
    "pairing_review_save",
    "pairing_save",
    "pay_filing_save",
    "person_for_number",
    "person_update",
    "post_on",
    "self_check_save",
    "staff_member_add",
    "staff_member_update",
    "stage_record",
    "team_save",
    "title_application_add",
    "title_application_decide",
    "training_record_add",
]
