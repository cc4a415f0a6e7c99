"""The footage access register: once approved or refused an entry never changes — tried through
every path (model, queryset, signals, services, pages, API, admin) — the hand-over is recorded
once, corrections are new entries, and the register is scoped like everything else."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safety import services
from safety.choices import FootageStatus
from safety.models import FootageHandover, FootageRequest, RecordLocked
from tests.conftest import client_for
from tests.helpers import VISIBLE_KINDERGARTENS, assert_api_scope

pytestmark = pytest.mark.django_db


def hours_ago(hours: int) -> datetime.datetime:
    return timezone.now().replace(microsecond=0) - datetime.timedelta(hours=hours)


def entry(kindergarten, user, **changes) -> FootageRequest:
    fields = {
        "access": "copy",
        "requester_name": "刘警官",
        "requester_org": "朝阳分局望京派出所",
        "purpose": "核实 3 日上午门口纠纷经过",
        "cameras": "1 号门厅",
        "period_from": hours_ago(30),
        "period_to": hours_ago(29),
        **changes,
    }
    return services.footage_request_record(kindergarten=kindergarten, user=user, **fields)


def approved(kindergarten, user) -> FootageRequest:
    return services.footage_request_decide(entry=entry(kindergarten, user), user=user, approve=True, note="同意复制")


@pytest.fixture
def decided(director_a, kg_a) -> FootageRequest:
    return approved(kg_a, director_a)


def unchanged(row: FootageRequest) -> None:
    stored = FootageRequest.objects.get(pk=row.pk)
    assert (stored.purpose, stored.status, stored.cameras) == (row.purpose, row.status, row.cameras)


class TestDecidedEntriesNeverChange:
    def test_it_refuses_save_on_the_model(self, decided):
        decided.purpose = "改写理由"
        with pytest.raises(RecordLocked):
            decided.save()
        stale = FootageRequest(pk=decided.pk, kindergarten=decided.kindergarten, status=FootageStatus.PENDING)
        with pytest.raises(RecordLocked):  # an instance built by hand claiming to be pending
            stale.save()
        decided.refresh_from_db()
        assert decided.purpose == "核实 3 日上午门口纠纷经过"

    def test_it_refuses_queryset_update_and_bulk_update(self, decided, director_a, kg_a):
        pending = entry(kg_a, director_a)
        with pytest.raises(RecordLocked):
            FootageRequest.objects.filter(pk=decided.pk).update(purpose="改写")
        with pytest.raises(RecordLocked):  # a mixed queryset changes nothing at all
            FootageRequest.objects.all().update(cameras="全部")
        decided.purpose = "改写"
        with pytest.raises(RecordLocked), transaction.atomic():
            FootageRequest.objects.bulk_update([decided], ["purpose"])
        assert FootageRequest.objects.filter(cameras="全部").count() == 0
        assert FootageRequest.objects.filter(pk=pending.pk).update(cameras="2 号") == 1  # pending: fine

    def test_it_refuses_delete_on_the_instance_and_the_queryset(self, decided):
        with pytest.raises(RecordLocked):
            decided.delete()
        with pytest.raises(RecordLocked):
            FootageRequest.objects.filter(pk=decided.pk).delete()
        with pytest.raises(RecordLocked):
            FootageRequest.objects.all().delete()
        assert FootageRequest.objects.filter(pk=decided.pk).exists()

    def test_the_signals_refuse_what_skips_the_models_own_methods(self, decided):
        decided.purpose = "改写"
        with pytest.raises(RecordLocked):
            models.Model.save(decided)  # pre_save
        with pytest.raises(RecordLocked), transaction.atomic():
            models.Model.delete(decided)  # pre_delete
        unchanged(FootageRequest.objects.get(pk=decided.pk))
        assert FootageRequest.objects.get(pk=decided.pk).purpose == "核实 3 日上午门口纠纷经过"

    def test_the_services_refuse(self, decided, director_a, bureau_official):
        for user in (director_a, bureau_official):
            with pytest.raises(RecordLocked):
                services.footage_request_update(entry=decided, user=user, purpose="改写")
            with pytest.raises(RecordLocked):
                services.footage_request_delete(entry=decided, user=user)
            with pytest.raises(RecordLocked):
                services.footage_request_decide(entry=decided, user=user, approve=False, note="改判")
        unchanged(decided)

    def test_the_form_page_refuses_with_the_reason(self, client, decided, director_a, bureau_official, kg_a):
        for user in (director_a, bureau_official):
            client = client_for(client, user)
            url = reverse("safety:footage_edit", args=[decided.pk])
            page = client.get(url)
            assert page.status_code == 403 and "不能再修改或删除" in page.content.decode()
            assert client.post(url, {"kindergarten": kg_a.pk, "purpose": "改写"}).status_code == 403
            step = reverse("safety:footage_step", args=[decided.pk, "decide"])
            client.post(step, {"decision": "refuse", "note": "改判"})
        unchanged(decided)
        detail = client.get(decided.get_absolute_url()).content.decode()
        assert reverse("safety:footage_edit", args=[decided.pk]) not in detail and 'id="locked"' in detail

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_the_api_refuses_put_patch_and_delete_with_409(
        self, api_client, decided, director_a, bureau_official, method
    ):
        url = f"/api/footage-requests/{decided.pk}/"
        body = {
            "kindergarten": decided.kindergarten_id,
            "access": "view",
            "requester_name": "某",
            "requester_org": "某",
            "purpose": "改写",
            "cameras": "全部",
            "period_from": hours_ago(30).isoformat(),
            "period_to": hours_ago(29).isoformat(),
        }
        for user in (director_a, bureau_official):
            api_client.force_authenticate(user)
            response = getattr(api_client, method)(url, body, format="json")
            assert response.status_code == 409, response.content
            assert "不能再修改或删除" in response.json()["detail"]
        unchanged(decided)

    def test_the_admin_is_read_only(self, client, decided, bureau_admin):
        client = client_for(client, bureau_admin)
        change = reverse("admin:safety_footagerequest_change", args=[decided.pk])
        page = client.get(change)
        assert page.status_code == 200 and 'name="purpose"' not in page.content.decode()
        assert client.post(change, {"purpose": "改写"}).status_code == 403
        assert (
            client.post(reverse("admin:safety_footagerequest_delete", args=[decided.pk]), {"post": "yes"}).status_code
            == 403
        )
        changelist = client.get(reverse("admin:safety_footagerequest_changelist")).content.decode()
        assert "delete_selected" not in changelist
        unchanged(decided)


class TestPendingEntries:
    def test_a_pending_entry_is_corrected_in_place_on_the_page_and_the_api(self, client, api_client, director_a, kg_a):
        pending = entry(kg_a, director_a)
        data = {
            "access": "view",
            "requester_name": "刘警官",
            "requester_org": "朝阳分局望京派出所",
            "purpose": "核实门口纠纷",
            "cameras": "1 号门厅、2 号走廊",
            "period_from": f"{timezone.localtime(hours_ago(30)):%Y-%m-%dT%H:%M}",
            "period_to": f"{timezone.localtime(hours_ago(29)):%Y-%m-%dT%H:%M}",
        }
        response = client_for(client, director_a).post(reverse("safety:footage_edit", args=[pending.pk]), data)
        assert response.status_code == 302
        pending.refresh_from_db()
        assert pending.cameras == "1 号门厅、2 号走廊"
        api_client.force_authenticate(director_a)
        assert (
            api_client.patch(f"/api/footage-requests/{pending.pk}/", {"cameras": "3 号"}, format="json").status_code
            == 200
        )
        assert api_client.delete(f"/api/footage-requests/{pending.pk}/").status_code == 204
        assert not FootageRequest.objects.filter(pk=pending.pk).exists()

    def test_the_director_decides_their_own_and_the_bureau_any(self, client, director_a, bureau_official, kg_a, kg_b):
        mine = entry(kg_a, director_a)
        response = client_for(client, director_a).post(
            reverse("safety:footage_step", args=[mine.pk, "decide"]), {"decision": "approve", "note": ""}
        )
        assert response.status_code == 302
        mine.refresh_from_db()
        assert mine.status == FootageStatus.APPROVED and mine.decided_by == director_a and mine.decided_at
        other = entry(kg_b, bureau_official)
        refused = services.footage_request_decide(entry=other, user=bureau_official, approve=False, note="理由不充分")
        assert refused.status == FootageStatus.REFUSED and refused.decided_by == bureau_official

    def test_a_refusal_needs_its_reason(self, director_a, kg_a):
        pending = entry(kg_a, director_a)
        with pytest.raises(Exception, match="理由"):
            services.footage_request_decide(entry=pending, user=director_a, approve=False)
        pending.refresh_from_db()
        assert pending.status == FootageStatus.PENDING

    def test_watchers_neither_record_nor_decide(self, client, inspector, wangjing_official, director_b, kg_b):
        pending = entry(kg_b, director_b)
        for user in (inspector, wangjing_official):
            client = client_for(client, user)
            assert client.get(reverse("safety:footage_add")).status_code == 403
            assert (
                client.post(
                    reverse("safety:footage_step", args=[pending.pk, "decide"]), {"decision": "approve"}
                ).status_code
                == 403
            )
        pending.refresh_from_db()
        assert pending.status == FootageStatus.PENDING


class TestHandover:
    def test_it_is_recorded_once_after_approval_and_never_changes(self, client, decided, director_a, kg_a):
        with pytest.raises(Exception, match="已批准"):
            services.footage_handover_record(
                entry=entry(kg_a, director_a),
                user=director_a,
                copied="U 盘",
                handed_to="刘警官",
                handed_at=hours_ago(1),
            )
        client = client_for(client, director_a)
        step = reverse("safety:footage_step", args=[decided.pk, "handover"])
        data = {
            "copied": "1 号门厅 8:00–9:00 录像，U 盘 1 个",
            "handed_to": "刘警官（望京派出所）",
            "handed_at": f"{timezone.localtime():%Y-%m-%dT%H:%M}",
        }
        assert client.post(step, data).status_code == 302
        handover = FootageHandover.objects.get(request=decided)
        client.post(step, {**data, "handed_to": "别人"})
        assert FootageHandover.objects.get(request=decided).handed_to == "刘警官（望京派出所）"
        handover.handed_to = "别人"
        with pytest.raises(RecordLocked):
            handover.save()
        with pytest.raises(RecordLocked):
            FootageHandover.objects.filter(pk=handover.pk).update(handed_to="别人")
        with pytest.raises(RecordLocked):
            handover.delete()
        with pytest.raises(RecordLocked):
            FootageHandover.objects.all().delete()
        with pytest.raises(RecordLocked), transaction.atomic():
            models.Model.delete(handover)
        assert FootageHandover.objects.get(pk=handover.pk).handed_to == "刘警官（望京派出所）"

    def test_the_api_records_the_handover_once(self, api_client, decided, director_a):
        api_client.force_authenticate(director_a)
        url = f"/api/footage-requests/{decided.pk}/handover/"
        data = {"copied": "U 盘 1 个", "handed_to": "刘警官", "handed_at": timezone.now().isoformat()}
        assert api_client.post(url, data, format="json").status_code == 201
        assert api_client.post(url, data, format="json").status_code == 409


class TestCorrections:
    def test_a_correction_is_a_new_entry_that_refers_to_the_original(self, client, decided, director_a, kg_a):
        client = client_for(client, director_a)
        url = reverse("safety:footage_correct", args=[decided.pk])
        form = client.get(url).context["form"]
        data = {
            name: form[name].value() for name in ("access", "requester_name", "requester_org", "purpose", "cameras")
        }
        data.update(
            period_from=f"{timezone.localtime(decided.period_from):%Y-%m-%dT%H:%M}",
            period_to=f"{timezone.localtime(decided.period_to):%Y-%m-%dT%H:%M}",
            cameras="1 号门厅、4 号后门",
            correction_reason="漏记 4 号后门",
        )
        response = client.post(url, data)
        correction = FootageRequest.objects.get(corrects=decided)
        assert response.status_code == 302 and response.url == correction.get_absolute_url()
        assert correction.status == FootageStatus.PENDING and correction.cameras == "1 号门厅、4 号后门"
        unchanged(decided)
        assert correction.get_absolute_url() in client.get(decided.get_absolute_url()).content.decode()

    def test_the_api_posts_a_correction(self, api_client, decided, director_a):
        api_client.force_authenticate(director_a)
        data = {
            "kindergarten": decided.kindergarten_id,
            "access": "copy",
            "requester_name": "刘警官",
            "requester_org": "朝阳分局望京派出所",
            "purpose": "核实",
            "cameras": "1 号门厅",
            "period_from": hours_ago(31).isoformat(),
            "period_to": hours_ago(29).isoformat(),
            "corrects": decided.pk,
            "correction_reason": "时段记错",
        }
        response = api_client.post("/api/footage-requests/", data, format="json")
        assert response.status_code == 201, response.content
        assert FootageRequest.objects.get(pk=response.json()["id"]).corrects == decided
        unchanged(decided)


class TestScope:
    @pytest.fixture
    def register(self, director_a, director_b, bureau_official, kg_a, kg_b, kg_c):
        return {"A": entry(kg_a, director_a), "B": approved(kg_b, director_b), "C": entry(kg_c, bureau_official)}

    def test_a_director_never_sees_another_kindergartens_entries(self, client, director_a, register):
        client = client_for(client, director_a)
        listing = client.get(reverse("safety:footage_list")).content.decode()
        assert register["A"].get_absolute_url() in listing and register["B"].get_absolute_url() not in listing
        for name in ("footage_detail", "footage_edit", "footage_correct"):
            assert client.get(reverse(f"safety:{name}", args=[register["B"].pk])).status_code == 404
        assert client.post(reverse("safety:footage_step", args=[register["B"].pk, "handover"])).status_code == 404

    @pytest.mark.parametrize("persona", sorted(VISIBLE_KINDERGARTENS))
    def test_the_api_lists_what_each_persona_may_see(self, api_client, personas, register, persona):
        expected = [register[k].pk for k in "CBA" if k in VISIBLE_KINDERGARTENS[persona]]
        hidden = [register[k].pk for k in "ABC" if k not in VISIBLE_KINDERGARTENS[persona]]
        assert_api_scope(api_client, personas[persona], "/api/footage-requests/", expected, hidden_ids=hidden)

    def test_the_list_costs_the_same_queries_however_many_entries(self, client, bureau_official, register, kg_a, kg_b):
        client = client_for(client, bureau_official)

        def cost() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("safety:footage_list")).status_code == 200
            return len(captured)

        few = cost()
        for kg in (kg_a, kg_b, kg_a):
            approved(kg, bureau_official)
        assert cost() == few


def test_the_api_decides_for_those_who_keep_the_register_only(
    api_client, director_a, director_b, inspector, kg_a, kg_b
):
    mine, theirs = entry(kg_a, director_a), entry(kg_b, director_b)
    api_client.force_authenticate(inspector)  # sees B's entry, may not decide it
    assert (
        api_client.post(f"/api/footage-requests/{theirs.pk}/decide/", {"approve": True}, format="json").status_code
        == 404
    )
    api_client.force_authenticate(director_a)
    assert (
        api_client.post(f"/api/footage-requests/{theirs.pk}/decide/", {"approve": True}, format="json").status_code
        == 404
    )
    refused = api_client.post(f"/api/footage-requests/{mine.pk}/decide/", {"approve": False}, format="json")
    assert refused.status_code == 400 and "decision_note" in refused.json()
    response = api_client.post(f"/api/footage-requests/{mine.pk}/decide/", {"approve": True}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    again = api_client.post(
        f"/api/footage-requests/{mine.pk}/decide/", {"approve": False, "note": "改判"}, format="json"
    )
    assert again.status_code == 409
    theirs.refresh_from_db()
    assert theirs.status == FootageStatus.PENDING
