"""Signals the safety app sends, for apps above it to act on (notifications tells people).

safety may not import those apps (import-linter layers), so it announces and they listen.
"""

from django.dispatch import Signal

# Sent (after the transaction commits) when an incident is recorded as serious, or an incident
# already recorded becomes serious. Arguments: `incident` (safety.models.Incident), `user` (who
# recorded it).
incident_reported = Signal()
