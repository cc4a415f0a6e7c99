"""`{% safety_records kindergarten %}`: the block of incidents, disputes, the footage register and
peak-hour posts on a kindergarten's safety page (its counts read through the user's scope)."""

from __future__ import annotations

from django import template

from ..choices import FootageStatus, RecordStatus
from ..models import Dispute, FootageRequest, Incident, SafetyPost
from ..services import may_keep_profile

register = template.Library()


@register.inclusion_tag("safety/profile_records.html", takes_context=True)
def safety_records(context, kindergarten) -> dict:
    user = context["request"].user
    return {
        "kindergarten": kindergarten,
        "can_keep": may_keep_profile(user, kindergarten),
        "records": {
            "incidents_open": Incident.objects.visible_to(user)
            .filter(kindergarten=kindergarten, status=RecordStatus.OPEN)
            .count(),
            "disputes_open": Dispute.objects.visible_to(user)
            .filter(kindergarten=kindergarten, status=RecordStatus.OPEN)
            .count(),
            "footage_pending": FootageRequest.objects.visible_to(user)
            .filter(kindergarten=kindergarten, status=FootageStatus.PENDING)
            .count(),
            "posts": SafetyPost.objects.visible_to(user).filter(kindergarten=kindergarten, active=True),
        },
    }
