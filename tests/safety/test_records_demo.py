"""The demo seeder of incidents, the footage register and posts: every state is there, a second
run adds nothing, and every page of what it made renders (rows written without a recorder too)."""

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from safety.choices import FootageStatus, IncidentSeverity, RecordStatus
from safety.demo.records import seed_records
from safety.models import Dispute, FootageHandover, FootageRequest, Incident, SafetyPost, SafetyRuleSet
from tests.conftest import client_for
from tests.factories import KindergartenFactory

pytestmark = pytest.mark.django_db


def test_it_seeds_every_state_once_and_the_pages_render(client, bureau_official, kg_a, kg_b, kg_c, wangjing):
    demo = [kg_a, kg_b, kg_c, *(KindergartenFactory(subdistrict=wangjing) for _ in range(3))]
    today = timezone.localdate()
    rules = SafetyRuleSet.objects.for_day(today)
    seed_records(random.Random(2025), demo, today, rules)
    assert Incident.objects.filter(severity=IncidentSeverity.SERIOUS, status=RecordStatus.RESOLVED).exists()
    assert Incident.objects.filter(status=RecordStatus.OPEN).exists()
    assert Dispute.objects.filter(mediations__isnull=False).exists()
    assert set(FootageRequest.objects.values_list("status", flat=True)) == set(FootageStatus.values)
    assert FootageHandover.objects.count() == 1 and FootageRequest.objects.filter(corrects__isnull=False).exists()
    assert SafetyPost.objects.exists()
    counts = [m.objects.count() for m in (Incident, Dispute, FootageRequest, SafetyPost)]
    seed_records(random.Random(2025), demo, today, rules)
    assert [m.objects.count() for m in (Incident, Dispute, FootageRequest, SafetyPost)] == counts

    client = client_for(client, bureau_official)
    for row in [*Incident.objects.all(), *Dispute.objects.all(), *FootageRequest.objects.all()]:
        assert client.get(row.get_absolute_url()).status_code == 200, row
    for name in ("incident_list", "dispute_list", "footage_list", "post_list", "post_coverage", "index"):
        assert client.get(reverse(f"safety:{name}")).status_code == 200, name
    assert client.get(reverse("safety:profile_detail", args=[kg_a.pk])).status_code == 200
