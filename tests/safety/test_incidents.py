"""Incidents and disputes: the no-name rule, who records them, scoping in pages, API and export,
time to resolution, and the list's query count."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safety import services
from safety.choices import IncidentSeverity, RecordStatus
from safety.models import Dispute, Incident
from tests.conftest import client_for
from tests.helpers import VISIBLE_KINDERGARTENS, assert_api_scope

pytestmark = pytest.mark.django_db


def ago(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def record(kindergarten, user, **changes) -> Incident:
    fields = {
        "occurred_at": ago(3),
        "place": "户外滑梯",
        "child_initials": "Z.X.",
        "child_age": 4,
        "what_happened": "从滑梯上滑下时擦伤膝盖",
        "treatment": "保健医消毒包扎",
        "severity": IncidentSeverity.MINOR,
        **changes,
    }
    return services.incident_record(kindergarten=kindergarten, user=user, **fields)


@pytest.fixture
def incidents(director_a, director_b, bureau_official, kg_a, kg_b, kg_c):
    return {"A": record(kg_a, director_a), "B": record(kg_b, director_b), "C": record(kg_c, bureau_official)}


def form_data(kindergarten, **changes) -> dict:
    return {
        "kindergarten": kindergarten.pk,
        "occurred_at": f"{timezone.localtime(ago(1)):%Y-%m-%dT%H:%M}",
        "place": "午睡室",
        "child_initials": "l.m",
        "child_age": 3,
        "severity": "minor",
        "what_happened": "起床时碰到床沿",
        "treatment": "冷敷",
        "status": "open",
        **changes,
    }


class TestNoNames:
    @pytest.mark.parametrize("initials", ["张小明", "张明", "王", "110105201901011234", "Z.X.1", "ZHANGXIAOMING"])
    def test_it_refuses_a_name_or_an_id_number_for_the_child(self, director_a, kg_a, initials):
        with pytest.raises(ValidationError) as refused:
            record(kg_a, director_a, child_initials=initials)
        assert "child_initials" in refused.value.message_dict
        assert not Incident.objects.exists()

    @pytest.mark.parametrize(("typed", "stored"), [("Z.X.", "Z.X."), ("zx", "Z.X."), ("z.x", "Z.X."), ("L M", "L.M.")])
    def test_it_stores_initials_in_one_form(self, director_a, kg_a, typed, stored):
        assert record(kg_a, director_a, child_initials=typed).child_initials == stored

    def test_it_refuses_an_id_number_in_the_free_text(self, director_a, kg_a):
        with pytest.raises(ValidationError) as refused:
            record(kg_a, director_a, what_happened="幼儿身份证 110105201901011234 擦伤")
        assert "what_happened" in refused.value.message_dict

    def test_the_form_shows_the_rule_as_a_field_error_and_saves_nothing(self, client, director_a, kg_a):
        response = client_for(client, director_a).post(
            reverse("safety:incident_add"), form_data(kg_a, child_initials="李明")
        )
        assert response.status_code == 200
        assert "child_initials" in response.context["form"].errors
        assert not Incident.objects.exists()

    def test_the_api_refuses_a_name_with_a_field_error(self, api_client, director_a, kg_a):
        api_client.force_authenticate(director_a)
        data = {**form_data(kg_a, child_initials="李小明"), "occurred_at": ago(1).isoformat()}
        response = api_client.post("/api/incidents/", data, format="json")
        assert response.status_code == 400 and "child_initials" in response.json()
        assert not Incident.objects.exists()


class TestRecording:
    def test_a_director_records_their_own_kindergartens_incident_on_the_page(self, client, director_a, kg_a):
        client = client_for(client, director_a)
        response = client.post(reverse("safety:incident_add"), form_data(kg_a))
        incident = Incident.objects.get()
        assert response.status_code == 302 and response.url == incident.get_absolute_url()
        assert incident.child_initials == "L.M." and incident.kindergarten == kg_a
        assert incident.history.first().history_user == director_a

    def test_a_director_cannot_record_for_another_kindergarten(self, client, director_a, kg_b):
        response = client_for(client, director_a).post(reverse("safety:incident_add"), form_data(kg_b))
        assert response.status_code == 200 and "kindergarten" in response.context["form"].errors
        with pytest.raises(PermissionDenied):
            record(kg_b, director_a)

    def test_those_who_only_read_do_not_record(self, client, wangjing_official, inspector, incidents):
        for user in (wangjing_official, inspector):
            client = client_for(client, user)
            assert client.get(reverse("safety:incident_add")).status_code == 403
            assert client.get(reverse("safety:incident_edit", args=[incidents["B"].pk])).status_code == 403

    def test_resolving_needs_a_day_and_an_outcome_and_shows_the_days_it_took(self, client, director_a, incidents):
        incident = incidents["A"]
        with pytest.raises(ValidationError):
            services.incident_update(incident=incident, user=director_a, status=RecordStatus.RESOLVED)
        services.incident_update(
            incident=incident,
            user=director_a,
            status=RecordStatus.RESOLVED,
            resolved_on=timezone.localdate(),
            outcome="家长认可处理，已结案",
        )
        incident.refresh_from_db()
        assert incident.days_to_resolution == 3
        page = client_for(client, director_a).get(incident.get_absolute_url()).content.decode()
        assert "3 天办结" in page
        listing = client.get(reverse("safety:incident_list")).content.decode()
        assert ">3<" in listing.replace(" ", "")

    def test_an_insurance_claim_needs_its_status(self, director_a, kg_a):
        with pytest.raises(ValidationError) as refused:
            record(kg_a, director_a, insurance_claimed=True)
        assert "insurance_status" in refused.value.message_dict
        assert record(kg_a, director_a, insurance_claimed=True, insurance_status="filed").insurance_status == "filed"

    def test_a_dispute_is_mediated_and_resolved(self, client, director_a, kg_a, incidents):
        client = client_for(client, director_a)
        response = client.post(
            reverse("safety:dispute_add"),
            {
                "kindergarten": kg_a.pk,
                "raised_on": (timezone.localdate() - datetime.timedelta(days=10)).isoformat(),
                "subject": "家长对擦伤处理不满",
                "parties": "小班幼儿家长、当班教师",
                "incident": incidents["A"].pk,
                "status": "open",
            },
        )
        dispute = Dispute.objects.get()
        assert response.status_code == 302
        client.post(
            reverse("safety:mediation_add", args=[dispute.pk]),
            {
                "held_on": timezone.localdate().isoformat(),
                "mediator": "望京街道人民调解委员会",
                "agreed": "园方承担医药费",
            },
        )
        assert dispute.mediations.get().mediator == "望京街道人民调解委员会"
        services.dispute_update(
            dispute=dispute, user=director_a, status="resolved", resolved_on=timezone.localdate(), outcome="调解结案"
        )
        dispute.refresh_from_db()
        assert dispute.days_to_resolution == 10
        assert "10 天办结" in client.get(dispute.get_absolute_url()).content.decode()


class TestScope:
    def test_a_director_never_sees_another_kindergartens_incident(self, client, director_a, incidents):
        client = client_for(client, director_a)
        listing = client.get(reverse("safety:incident_list")).content.decode()
        assert incidents["A"].get_absolute_url() in listing
        assert incidents["B"].get_absolute_url() not in listing
        assert client.get(incidents["B"].get_absolute_url()).status_code == 404
        assert client.get(reverse("safety:incident_edit", args=[incidents["B"].pk])).status_code == 404

    @pytest.mark.parametrize("persona", sorted(VISIBLE_KINDERGARTENS))
    def test_the_api_lists_what_each_persona_may_see(self, api_client, personas, incidents, persona):
        expected = [incidents[k].pk for k in sorted(VISIBLE_KINDERGARTENS[persona])]
        hidden = [incidents[k].pk for k in "ABC" if k not in VISIBLE_KINDERGARTENS[persona]]
        assert_api_scope(api_client, personas[persona], "/api/incidents/", expected, hidden_ids=hidden)

    def test_the_api_keeps_writes_with_the_director_and_the_bureau(self, api_client, personas, incidents):
        api_client.force_authenticate(personas["director_a"])
        url = f"/api/incidents/{incidents['B'].pk}/"
        assert api_client.patch(url, {"place": "教室"}, format="json").status_code == 404
        api_client.force_authenticate(personas["inspector"])
        assert api_client.patch(url, {"place": "教室"}, format="json").status_code == 404
        api_client.force_authenticate(personas["director_b"])
        assert api_client.patch(url, {"place": "教室"}, format="json").status_code == 200
        incidents["B"].refresh_from_db()
        assert incidents["B"].place == "教室"

    def test_the_export_holds_only_what_the_user_sees_through_the_list_filters(
        self, client, director_a, bureau_official, incidents, kg_a
    ):
        record(kg_a, director_a, severity=IncidentSeverity.SERIOUS, place="楼梯")

        def rows(user, query: str = "") -> list[tuple]:
            response = client_for(client, user).get(reverse("safety:incident_export") + query)
            assert response.status_code == 200
            sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
            return [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1]]

        mine = rows(director_a)
        assert {r[1] for r in mine} == {kg_a.name} and len(mine) == 2
        assert [r[4] for r in rows(director_a, "?severity=serious")] == ["楼梯"]
        assert len(rows(bureau_official)) == 4


def test_the_incident_list_costs_the_same_queries_however_many_incidents(client, bureau_official, kg_a, kg_b, kg_c):
    client = client_for(client, bureau_official)

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("safety:incident_list")).status_code == 200
        return len(captured)

    record(kg_a, bureau_official)
    few = cost()
    for kg in (kg_a, kg_b, kg_c, kg_b, kg_c):
        record(kg, bureau_official)
    assert cost() == few
