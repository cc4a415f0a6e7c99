"""A director answers a rectification order with a report and evidence; the inspector accepts or
sends it back. Who may do which step, scoping, the files, bad files."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from inspections.choices import OrderStatus
from inspections.models import OrderAnswer, OrderAnswerAttachment
from inspections.models.order_answers import AnswerDecision
from inspections.services import order_answers as services

from ..factories import EXE_BYTES, PNG_BYTES, order, upload


@pytest.fixture
def open_order(kg_b, inspector):
    return order(kg_b, inspector)


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def photo(name: str = "现场.png"):
    return upload(name, PNG_BYTES, "image/png")


def test_it_runs_the_loop_answer_send_back_answer_again_accept(open_order, director_b, inspector):
    first = services.order_answer(order=open_order, user=director_b, report="已补装摄像头", files=[photo()])
    with pytest.raises(ValidationError):  # one answer waits at a time
        services.order_answer(order=open_order, user=director_b, report="再交一份")
    services.order_answer_send_back(order=open_order, user=inspector, reason="照片看不清盲区")
    first.refresh_from_db()
    assert (first.decision, first.reason, first.decided_by) == (AnswerDecision.SENT_BACK, "照片看不清盲区", inspector)
    second = services.order_answer(order=open_order, user=director_b, report="补拍了照片", files=[photo("b.png")])
    services.order_answer_accept(order=open_order, user=inspector)
    open_order.refresh_from_db()
    second.refresh_from_db()
    assert open_order.status == OrderStatus.RECTIFIED and open_order.rectified_on is not None
    assert (second.decision, second.answered_by, second.decided_by) == (AnswerDecision.ACCEPTED, director_b, inspector)
    with pytest.raises(ValidationError):  # the order is closed
        services.order_answer(order=open_order, user=director_b, report="又一份")


def test_it_lets_only_the_director_answer_and_only_enforcers_decide(
    open_order, director_a, director_b, inspector, bureau_official, wangjing_official
):
    for outsider in (director_a, inspector, wangjing_official):
        with pytest.raises(PermissionDenied):
            services.order_answer(order=open_order, user=outsider, report="x")
    services.order_answer(order=open_order, user=director_b, report="已整改")
    for outsider in (director_b, wangjing_official):
        with pytest.raises(PermissionDenied):
            services.order_answer_accept(order=open_order, user=outsider)
    services.order_answer_accept(order=open_order, user=bureau_official)  # the bureau may decide too
    assert OrderAnswer.objects.get().decided_by == bureau_official


def test_it_refuses_bad_files_and_saves_nothing(open_order, director_b):
    with pytest.raises(ValidationError) as error:
        services.order_answer(order=open_order, user=director_b, report="已整改", files=[upload("x.png", EXE_BYTES)])
    assert "files" in error.value.message_dict
    assert not OrderAnswer.objects.exists() and not OrderAnswerAttachment.objects.exists()
    page = web(director_b).post(
        reverse("inspections:order_answer", args=[open_order.pk]),
        {"report": "已整改", "files": [upload("x.png", EXE_BYTES)]},
    )
    assert page.status_code == 400 and not OrderAnswer.objects.exists()


def test_it_answers_from_the_page_and_serves_files_only_in_scope(open_order, director_a, director_b, inspector):
    director = web(director_b)
    detail = director.get(open_order.get_absolute_url()).content.decode()
    assert "提交整改报告" in detail
    answer_url = reverse("inspections:order_answer", args=[open_order.pk])
    page = director.get(answer_url).content.decode()
    assert 'capture="environment"' in page
    response = director.post(answer_url, {"report": "已补装摄像头", "files": [photo()]})
    assert response.status_code == 302
    attachment = OrderAnswerAttachment.objects.get()
    assert "/media/" not in attachment.file.name and attachment.file.name.endswith(".png")
    assert attachment.original_name not in attachment.file.name  # a random name
    file_url = attachment.get_absolute_url()
    assert director.get(file_url).status_code == 200
    assert web(inspector).get(file_url).status_code == 200
    assert web(director_a).get(file_url).status_code == 404
    assert web(director_a).get(answer_url).status_code == 404
    assert web(director_a).post(answer_url, {"report": "x"}).status_code == 404
    # The inspector decides from the order's page.
    inspector_client = web(inspector)
    assert "通过整改报告" in inspector_client.get(open_order.get_absolute_url()).content.decode()
    refused = inspector_client.post(reverse("inspections:order_answer_send_back", args=[open_order.pk]), {"reason": ""})
    assert refused.status_code == 400
    inspector_client.post(reverse("inspections:order_answer_accept", args=[open_order.pk]))
    open_order.refresh_from_db()
    assert open_order.status == OrderStatus.RECTIFIED


def test_it_answers_and_decides_through_the_api(open_order, director_a, director_b, inspector):
    url = f"/api/rectification-orders/{open_order.pk}/"
    assert api(director_a).post(url + "answer/", {"report": "x"}).status_code == 404
    assert api(inspector).post(url + "answer/", {"report": "x"}).status_code == 403
    bad = api(director_b).post(url + "answer/", {"report": ""})
    assert bad.status_code == 400 and "report" in bad.json()
    response = api(director_b).post(url + "answer/", {"report": "已整改", "files": [photo()]}, format="multipart")
    assert response.status_code == 201, response.content
    answers = response.json()["answers"]
    assert [a["decision"] for a in answers] == ["pending"] and len(answers[0]["files"]) == 1
    assert api(director_b).post(url + "accept/").status_code == 404  # directors do not change orders
    back = api(inspector).post(url + "send-back/", {"reason": "不清楚"})
    assert back.status_code == 200 and back.json()["answers"][0]["decision"] == "sent_back"
    api(director_b).post(url + "answer/", {"report": "补充"})
    accepted = api(inspector).post(url + "accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "rectified"


def test_it_shows_the_open_order_with_its_button_on_the_kindergartens_page(open_order, kg_b, director_b, inspector):
    page = web(director_b).get(kg_b.get_absolute_url()).content.decode()
    assert open_order.get_absolute_url() in page
    assert reverse("inspections:order_answer", args=[open_order.pk]) in page
    # The inspector sees the order there but has nothing to answer.
    seen = web(inspector).get(kg_b.get_absolute_url()).content.decode()
    assert open_order.get_absolute_url() in seen
    assert reverse("inspections:order_answer", args=[open_order.pk]) not in seen
