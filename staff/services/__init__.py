"""The staff services (every write), one module per sub-domain; this package only re-exports them."""

from .common import may_keep_staff, validated_save
from .people import (
    certificates_save,
    id_reveal,
    person_for_number,
    person_update,
    staff_member_add,
    staff_member_update,
)
from .transfer import ImportResult, import_staff

__all__ = [
    "ImportResult",
    "certificates_save",
    "id_reveal",
    "import_staff",
    "may_keep_staff",
    "person_for_number",
    "person_update",
    "staff_member_add",
    "staff_member_update",
    "validated_save",
]
