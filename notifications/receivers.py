"""What the notifications app does when other apps announce something (their signals).

Connected in `NotificationsConfig.ready()`. The apps below do not import this one (import-linter
layers): they send a signal, and this module turns it into notifications.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.permissions import Act, holders
from safety.signals import incident_reported

from .choices import NotificationKind
from .models import Notification
from .services import create_new, email_pending

logger = logging.getLogger(__name__)


def serious_incident_notices(incident) -> list[Notification]:
    """One notification per active bureau staff member (those who manage the whole district)."""
    kindergarten = incident.kindergarten
    when = timezone.localtime(incident.occurred_at)
    title = _("严重伤害事故：%(kindergarten)s") % {"kindergarten": kindergarten.name}
    body = _("%(kindergarten)s %(when)s 在%(place)s发生严重伤害事故（幼儿 %(child)s，%(age)s 岁）：%(what)s") % {
        "kindergarten": kindergarten.name,
        "when": f"{when:%Y-%m-%d %H:%M}",
        "place": incident.place,
        "child": incident.child_initials,
        "age": incident.child_age,
        "what": incident.what_happened[:300],
    }
    key = f"serious_incident:{incident.pk}"
    return [
        Notification(
            recipient_id=pk,
            kind=NotificationKind.SERIOUS_INCIDENT,
            title=title[:200],
            body=body[:2000],
            link=incident.get_absolute_url(),
            dedupe_key=key,
        )
        for pk in holders(Act.MANAGE).values_list("pk", flat=True)
    ]


def notify_serious_incident(sender, incident, **kwargs) -> None:
    """The bureau hears of a serious incident at once: under the bell and by email (each once)."""
    # Stored texts are in the portal's language, whoever's request recorded the incident.
    with translation.override(settings.LANGUAGE_CODE):
        created = create_new(serious_incident_notices(incident))
        if created:
            sent, failed = email_pending()
            logger.info(
                "Serious incident %s: %s notified, %s emailed, %s failed", incident.pk, len(created), sent, failed
            )


def connect() -> None:
    incident_reported.connect(notify_serious_incident, dispatch_uid="notifications.serious_incident")
