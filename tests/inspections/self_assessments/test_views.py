"""The pages: a director fills, saves, submits; the bureau reviews; nobody reaches what is not theirs."""

import pytest
from django.urls import reverse

from inspections import services
from inspections.choices import AssessmentStatus, FrameworkStatus
from inspections.forms import files_field, level_field, note_field
from inspections.models import (
    AssessmentPoint,
    CycleAssignment,
    FrameworkVersion,
    KeyIndicator,
    SelfAssessment,
    SelfAssessmentAttachment,
    SelfAssessmentRating,
)
from tests.conftest import client_for

from ..factories import PDF_BYTES, PNG_BYTES, assign, cycle, levels, national_framework, submitted, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation_cycle(bureau_official, kg_a, kg_b, kg_c):
    result = cycle(by=bureau_official)
    for kindergarten in (kg_a, kg_b, kg_c):
        assign(result, kindergarten)
    return result


def form_data(assessment, *, value=3, count=None, action="save") -> dict:
    level = next(lv for lv in levels(assessment.framework_version) if lv.value == value)
    points = list(assessment.framework_version.points())
    data = {"action": action, "summary": "总体良好"}
    for point in points[: count if count is not None else len(points)]:
        data[level_field(point.pk)] = str(level.pk)
        data[note_field(point.pk)] = f"观察记录 {point.pk}"
    return data


def test_it_walks_a_director_through_save_come_back_and_submit(client, evaluation_cycle, kg_a, director_a):
    client_for(client, director_a)
    response = client.get(reverse("inspections:index"))
    assert response.url == reverse("inspections:self_assessment_mine")
    assert "开始自评" in client.get(response.url).content.decode()

    response = client.post(reverse("inspections:self_assessment_start"), {"cycle": evaluation_cycle.pk})
    assessment = SelfAssessment.objects.get(kindergarten=kg_a)
    assert response.url == reverse("inspections:self_assessment_edit", args=[assessment.pk])

    page = client.get(response.url).content.decode()
    assert 'type="radio"' in page and "保存草稿" in page and "提交自评" in page
    assert "尚未评分的考查要点（15 个）" in page

    # Part of it, saved as a draft; coming back shows what was entered.
    data = form_data(assessment, count=10)
    first_point = assessment.framework_version.points().first()
    data[files_field(first_point.pk)] = upload("活动照片.png", PNG_BYTES)
    response = client.post(reverse("inspections:self_assessment_edit", args=[assessment.pk]), data)
    assert response.status_code == 302
    assert SelfAssessmentRating.objects.filter(assessment=assessment, level__isnull=False).count() == 10
    assert SelfAssessmentAttachment.objects.get(assessment=assessment).point == first_point
    page = client.get(reverse("inspections:self_assessment_edit", args=[assessment.pk])).content.decode()
    assert "已评分 10 / 15 个考查要点" in page
    assert "活动照片.png" in page and "观察记录" in page

    # Submitting an incomplete one saves it but refuses to submit, naming each missing point.
    data = form_data(assessment, count=13, action="submit")
    response = client.post(reverse("inspections:self_assessment_edit", args=[assessment.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "还有 2 个考查要点未评分，不能提交" in page
    assert page.count("请为该考查要点评分。") == 2
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert SelfAssessmentRating.objects.filter(assessment=assessment, level__isnull=False).count() == 13

    response = client.post(
        reverse("inspections:self_assessment_edit", args=[assessment.pk]), form_data(assessment, action="submit")
    )
    assert response.url == assessment.get_absolute_url()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_by == director_a


def test_it_refuses_a_renamed_program_and_saves_nothing(client, evaluation_cycle, kg_a, director_a):
    assessment = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle, user=director_a)
    client_for(client, director_a)
    data = form_data(assessment, count=3)
    data["general_files"] = upload("整改报告.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(reverse("inspections:self_assessment_edit", args=[assessment.pk]), data)
    assert response.status_code == 400
    assert "不是有效的 PDF 文件" in response.content.decode()
    assert not SelfAssessmentRating.objects.filter(assessment=assessment).exists()
    assert not SelfAssessmentAttachment.objects.exists()


def test_it_lets_nobody_change_a_submitted_assessment_through_the_page(client, evaluation_cycle, kg_a, personas):
    assessment = submitted(evaluation_cycle, kg_a, personas["director_a"])
    before = list(SelfAssessmentRating.objects.filter(assessment=assessment).values_list("level", "evidence_note"))
    url = reverse("inspections:self_assessment_edit", args=[assessment.pk])
    for user in personas.values():
        client.logout()
        client_for(client, user)
        response = client.post(url, form_data(assessment, value=1))
        assert response.status_code in (403, 404)
    client_for(client, personas["director_a"])
    assert client.get(url).status_code == 302  # back to the read-only page
    assert (
        list(SelfAssessmentRating.objects.filter(assessment=assessment).values_list("level", "evidence_note")) == before
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("bureau_official", 200),
        ("bureau_admin", 200),
        ("wangjing_official", 200),
        ("director_a", 200),
        ("director_b", 404),
        ("inspector", 404),  # assigned B and C, not A
    ],
)
def test_it_shows_an_assessment_and_its_files_only_within_scope(
    client, evaluation_cycle, kg_a, personas, persona, expected
):
    director = personas["director_a"]
    assessment = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle, user=director)
    attachment = services.self_assessment_attachment_add(
        assessment=assessment, user=director, file=upload("记录.pdf", PDF_BYTES)
    )
    client_for(client, personas[persona])
    assert client.get(assessment.get_absolute_url()).status_code == expected
    assert client.get(reverse("inspections:self_assessment_versions", args=[assessment.pk])).status_code == expected
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"


def test_it_hides_files_from_anonymous_users_and_never_serves_them_as_static(
    client, evaluation_cycle, kg_a, director_a
):
    from django.conf import settings

    assessment = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle, user=director_a)
    attachment = services.self_assessment_attachment_add(
        assessment=assessment, user=director_a, file=upload("记录.pdf", PDF_BYTES)
    )
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 302 and "login" in response.url
    assert str(settings.MEDIA_ROOT) in attachment.file.path
    assert not attachment.file.path.startswith(str(settings.STATIC_ROOT))
    assert client.get(f"/static/{attachment.file.name}").status_code == 404
    assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_it_lets_the_bureau_return_with_a_comment_and_the_director_revise(
    client, evaluation_cycle, kg_a, director_a, bureau_official
):
    assessment = submitted(evaluation_cycle, kg_a, director_a)
    client_for(client, bureau_official)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "提交审核结论" in page
    url = reverse("inspections:self_assessment_review", args=[assessment.pk])
    response = client.post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 400 and "退回时须填写审核意见" in response.content.decode()
    response = client.post(url, {"decision": "return", "comment": "请补充安全防护的演练记录。"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED

    client.logout()
    client_for(client, director_a)
    page = client.get(reverse("inspections:self_assessment_mine")).content.decode()
    assert "请补充安全防护的演练记录。" in page
    response = client.post(reverse("inspections:self_assessment_revise", args=[assessment.pk]))
    revision = SelfAssessment.objects.get(revised_from=assessment)
    assert response.url == reverse("inspections:self_assessment_edit", args=[revision.pk])
    page = client.get(response.url).content.decode()
    assert "上一版本的审核意见" in page and "已评分 15 / 15" in page
    response = client.post(response.url, form_data(revision, value=2, action="submit"))
    revision.refresh_from_db()
    assert revision.status == AssessmentStatus.SUBMITTED
    versions = client.get(reverse("inspections:self_assessment_versions", args=[revision.pk])).content.decode()
    assert "第 1 版" in versions and "第 2 版" in versions and 'class="changed"' in versions


def test_it_lets_only_the_bureau_review(client, evaluation_cycle, kg_a, personas):
    assessment = submitted(evaluation_cycle, kg_a, personas["director_a"])
    url = reverse("inspections:self_assessment_review", args=[assessment.pk])
    for name in ("wangjing_official", "director_a", "director_b", "inspector"):
        client.logout()
        client_for(client, personas[name])
        assert client.post(url, {"decision": "accept"}).status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_it_lets_the_bureau_build_and_publish_a_handbook_in_the_browser(client, bureau_official):
    client_for(client, bureau_official)
    v1 = national_framework()
    response = client.post(reverse("inspections:framework_copy", args=[v1.pk]), {"name": "朝阳区评估手册"})
    draft = FrameworkVersion.objects.get(name="朝阳区评估手册")
    assert response.url == draft.get_absolute_url()
    indicator = KeyIndicator.objects.get(area__framework_version=draft, name="师幼互动")
    add = reverse("inspections:point_add", args=[draft.pk])
    assert client.get(f"{add}?indicator={indicator.pk}").status_code == 200
    response = client.post(
        add,
        {
            "key_indicator": indicator.pk,
            "text": "教师关注幼儿的兴趣和需要",
            "guidance": "观察半日活动",
            "evidence_expected": "观察记录",
            "origin": "district",
            "source": "",
            "rating_scale": draft.rating_scale_id,
        },
    )
    assert response.status_code == 302
    point = AssessmentPoint.objects.get(key_indicator=indicator)
    response = client.post(
        add,
        {"key_indicator": indicator.pk, "text": "原文", "origin": "official", "rating_scale": draft.rating_scale_id},
    )
    assert response.status_code == 200 and "必须注明出处" in response.content.decode()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "教师关注幼儿的兴趣和需要" in page and "发布为正式版本" in page
    client.post(reverse("inspections:framework_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.PUBLISHED
    # Published: the edit pages send the user back, the point is unchanged.
    response = client.post(
        reverse("inspections:point_edit", args=[point.pk]),
        {"key_indicator": indicator.pk, "text": "改", "origin": "district", "rating_scale": draft.rating_scale_id},
    )
    assert response.status_code == 302
    assert AssessmentPoint.objects.get(pk=point.pk).text == "教师关注幼儿的兴趣和需要"


def test_it_hides_handbook_drafts_and_editing_from_everyone_but_the_bureau(client, bureau_official, personas):
    draft = services.framework_version_copy(source=national_framework(), user=bureau_official, name="草稿")
    for name in ("wangjing_official", "director_a", "inspector"):
        client.logout()
        client_for(client, personas[name])
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(national_framework().get_absolute_url()).status_code == 200
        assert client.post(reverse("inspections:framework_copy", args=[national_framework().pk])).status_code == 403


def test_it_shows_the_cycle_plan_with_coverage_and_lets_the_bureau_move_a_kindergarten(
    client, evaluation_cycle, kg_a, bureau_official, wangjing_official
):
    client_for(client, bureau_official)
    page = client.get(evaluation_cycle.get_absolute_url()).content.decode()
    assert "各街道/地区覆盖情况" in page and "望京" in page and "双井" in page and "调整年度" in page
    assignment = CycleAssignment.objects.get(kindergarten=kg_a)
    url = reverse("inspections:assignment_edit", args=[assignment.pk])
    response = client.post(
        url, {"planned_year": evaluation_cycle.start_year + 2, "self_assessment_due": "", "note": ""}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.planned_year == evaluation_cycle.start_year + 2

    client.logout()
    client_for(client, wangjing_official)
    page = client.get(evaluation_cycle.get_absolute_url()).content.decode()
    assert "望京" in page and "双井" not in page and "调整年度" not in page
    assert client.get(url).status_code == 403


def test_it_lists_overdue_self_assessments_for_the_bureau(client, bureau_official, kg_a, kg_b):
    import datetime

    from django.utils import timezone

    evaluation_cycle = cycle(by=bureau_official)
    last_month = timezone.localdate() - datetime.timedelta(days=30)
    CycleAssignment.objects.create(
        cycle=evaluation_cycle,
        kindergarten=kg_a,
        planned_year=evaluation_cycle.start_year,
        self_assessment_due=last_month,
    )
    assign(evaluation_cycle, kg_b, year=evaluation_cycle.start_year + 1)
    client_for(client, bureau_official)
    page = client.get(reverse("inspections:self_assessment_overdue")).content.decode()
    assert kg_a.name in page and kg_b.name not in page


@pytest.mark.parametrize(
    "name",
    [
        "framework_list",
        "cycle_list",
        "self_assessment_list",
        "self_assessment_overdue",
        "self_assessment_mine",
        "index",
    ],
)
@pytest.mark.parametrize("persona", ["bureau_official", "wangjing_official", "director_a", "inspector"])
def test_it_renders_every_list_page_for_every_persona(client, evaluation_cycle, personas, name, persona):
    client_for(client, personas[persona])
    response = client.get(reverse(f"inspections:{name}"), follow=True)
    assert response.status_code == 200


def test_it_lets_the_bureau_create_and_edit_a_cycle_in_the_browser(client, bureau_official):
    from inspections.models import EvaluationCycle

    from ..factories import handbook

    version = handbook(by=bureau_official)
    client_for(client, bureau_official)
    assert client.get(reverse("inspections:cycle_add")).status_code == 200
    data = {
        "name": "2030—2032 年评估周期",
        "start_year": 2030,
        "framework_version": version.pk,
        "due_month": 5,
        "due_day": 31,
    }
    response = client.post(reverse("inspections:cycle_add"), data)
    created = EvaluationCycle.objects.get(start_year=2030)
    assert response.url == created.get_absolute_url() and created.end_year == 2032
    response = client.post(reverse("inspections:cycle_add"), {**data, "start_year": 2031})
    assert response.status_code == 200 and "重叠" in response.content.decode()
    edit = reverse("inspections:cycle_edit", args=[created.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {**data, "name": "改名后的周期", "start_year": 1999})
    created.refresh_from_db()
    assert (created.name, created.start_year) == ("改名后的周期", 2030)  # the start year stays
    response = client.post(reverse("inspections:cycle_assign", args=[created.pk]))
    assert response.status_code == 302


def test_it_lets_the_bureau_reorder_delete_and_discard_draft_points(client, bureau_official):
    draft = services.framework_version_copy(source=national_framework(), user=bureau_official, name="草稿")
    indicator = KeyIndicator.objects.get(area__framework_version=draft, name="家园共育")
    first = services.assessment_point_create(key_indicator=indicator, user=bureau_official, text="甲")
    second = services.assessment_point_create(key_indicator=indicator, user=bureau_official, text="乙")
    client_for(client, bureau_official)
    assert client.get(reverse("inspections:framework_edit", args=[draft.pk])).status_code == 200
    assert client.get(reverse("inspections:point_edit", args=[first.pk])).status_code == 200
    client.post(reverse("inspections:point_move", args=[second.pk]), {"direction": "up"})
    assert list(indicator.points.order_by("order").values_list("text", flat=True)) == ["乙", "甲"]
    client.post(reverse("inspections:point_delete", args=[first.pk]))
    assert list(indicator.points.values_list("text", flat=True)) == ["乙"]
    client.post(reverse("inspections:framework_delete", args=[draft.pk]))
    assert not FrameworkVersion.objects.filter(pk=draft.pk).exists()


def test_it_lets_a_director_delete_an_attachment_from_a_draft_only(
    client, evaluation_cycle, kg_a, director_a, director_b, django_capture_on_commit_callbacks
):
    assessment = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle, user=director_a)
    attachment = services.self_assessment_attachment_add(
        assessment=assessment, user=director_a, file=upload("记录.pdf", PDF_BYTES)
    )
    url = reverse("inspections:self_assessment_attachment_delete", args=[attachment.pk])
    client_for(client, director_b)
    assert client.post(url).status_code == 404
    client.logout()
    client_for(client, director_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not SelfAssessmentAttachment.objects.filter(pk=attachment.pk).exists()
    assert not attachment.file.storage.exists(attachment.file.name)
