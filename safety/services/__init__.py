"""Every write of the safety app, one module per sub-domain; this package only re-exports them."""

from .hazards import hazard_close, hazard_open, hazard_send_back, hazard_start, hazard_submit
from .profiles import drill_record, may_keep_profile, profile_of, profile_save

__all__ = [
    "drill_record",
    "hazard_close",
    "hazard_open",
    "hazard_send_back",
    "hazard_start",
    "hazard_submit",
    "may_keep_profile",
    "profile_of",
    "profile_save",
]
