"""What the daily job reminds people of, by source; `notifications.services` addresses and sends them."""

from .common import Reminder, days_late, days_left, short
from .enrollment import enrollment_reminders
from .governance import governance_reminders
from .safety import safety_reminders
from .staff import certificate_reminders

__all__ = [
    "Reminder",
    "certificate_reminders",
    "days_late",
    "days_left",
    "enrollment_reminders",
    "governance_reminders",
    "safety_reminders",
    "short",
]
