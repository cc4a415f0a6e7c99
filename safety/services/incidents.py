"""Incidents and disputes: the director records and updates their own kindergarten's (`Act.FILL`),
bureau staff any (`Act.MANAGE`). A serious incident is announced with `incident_reported` once the
transaction commits, so the bureau hears of it at once and never of one that was rolled back."""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.utils.translation import gettext_lazy

from kindergartens.models import Kindergarten

from ..choices import IncidentSeverity
from ..models import Dispute, Incident, Mediation
from ..signals import incident_reported
from .common import validated_save
from .records import require_record_keeper

REFUSE = gettext_lazy("只有本园园长或区教委工作人员可以登记和处理事故、纠纷。")

INCIDENT_FIELDS = (
    "occurred_at",
    "place",
    "child_initials",
    "child_age",
    "what_happened",
    "treatment",
    "severity",
    "insurance_claimed",
    "insurance_status",
    "status",
    "resolved_on",
    "outcome",
)
DISPUTE_FIELDS = ("raised_on", "subject", "parties", "description", "incident", "status", "resolved_on", "outcome")


def _announce_if_serious(incident: Incident, user, was_serious: bool) -> None:
    if incident.severity == IncidentSeverity.SERIOUS and not was_serious:
        transaction.on_commit(partial(incident_reported.send, sender=Incident, incident=incident, user=user))


@transaction.atomic
def incident_record(*, kindergarten: Kindergarten, user, **fields) -> Incident:
    """Records an injury incident (fields: `INCIDENT_FIELDS`); a serious one notifies the bureau."""
    require_record_keeper(user, kindergarten, REFUSE)
    incident = Incident(kindergarten=kindergarten, recorded_by=user if getattr(user, "pk", None) else None)
    for name in INCIDENT_FIELDS:
        if name in fields:
            setattr(incident, name, fields[name])
    validated_save(incident, user)
    _announce_if_serious(incident, user, was_serious=False)
    return incident


@transaction.atomic
def incident_update(*, incident: Incident, user, **fields) -> Incident:
    """Updates an incident (treatment, insurance, resolution …); becoming serious notifies the bureau."""
    incident = Incident.objects.select_for_update().select_related("kindergarten").get(pk=incident.pk)
    require_record_keeper(user, incident.kindergarten, REFUSE)
    was_serious = incident.severity == IncidentSeverity.SERIOUS
    for name in INCIDENT_FIELDS:
        if name in fields:
            setattr(incident, name, fields[name])
    validated_save(incident, user)
    _announce_if_serious(incident, user, was_serious)
    return incident


def _dispute_fields(dispute: Dispute, fields: dict) -> None:
    for name in DISPUTE_FIELDS:
        if name in fields:
            setattr(dispute, name, fields[name])


@transaction.atomic
def dispute_record(*, kindergarten: Kindergarten, user, **fields) -> Dispute:
    require_record_keeper(user, kindergarten, REFUSE)
    dispute = Dispute(kindergarten=kindergarten, recorded_by=user if getattr(user, "pk", None) else None)
    _dispute_fields(dispute, fields)
    return validated_save(dispute, user)


@transaction.atomic
def dispute_update(*, dispute: Dispute, user, **fields) -> Dispute:
    dispute = Dispute.objects.select_for_update().select_related("kindergarten").get(pk=dispute.pk)
    require_record_keeper(user, dispute.kindergarten, REFUSE)
    _dispute_fields(dispute, fields)
    return validated_save(dispute, user)


@transaction.atomic
def mediation_record(*, dispute: Dispute, user, held_on: datetime.date, mediator: str, agreed: str) -> Mediation:
    """A mediation session of the dispute (a resolved dispute can still have its last one recorded)."""
    dispute = Dispute.objects.select_for_update().select_related("kindergarten").get(pk=dispute.pk)
    require_record_keeper(user, dispute.kindergarten, REFUSE)
    mediation = Mediation(
        dispute=dispute,
        held_on=held_on,
        mediator=mediator,
        agreed=agreed,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    return validated_save(mediation, user)
