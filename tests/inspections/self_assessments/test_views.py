"""The self-assessment pages: a director fills, saves, submits; the bureau reviews; nobody reaches
what is not theirs; the list pages render for every persona, and the lists, the form and the
detail page cost a fixed number of queries whatever the number of rows or points."""

import pytest
from django.urls import reverse

from inspections import services
from inspections.choices import AssessmentStatus
from inspections.forms import files_field, level_field, note_field
from inspections.models import (
    CycleAssignment,
    SelfAssessment,
    SelfAssessmentAttachment,
    SelfAssessmentRating,
)
from tests.conftest import client_for

from ..conftest import queries
from ..factories import (
    PDF_BYTES,
    PNG_BYTES,
    add_kindergartens_with_assessments,
    assign,
    cycle,
    levels,
    rate_all,
    submitted,
    upload,
)

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize(
    "name",
    ["self_assessment_list", "self_assessment_overdue", "self_assessment_mine", "index"],
)
@pytest.mark.parametrize("persona", ["bureau_official", "wangjing_official", "director_a", "inspector"])
def test_it_renders_every_list_page_for_every_persona(client, evaluation_cycle, personas, name, persona):
    client_for(client, personas[persona])
    response = client.get(reverse(f"inspections:{name}"), follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["self_assessment_list", "self_assessment_overdue"])
def test_it_pins_list_page_queries(client, bureau_official, name):
    evaluation_cycle = cycle(by=bureau_official)
    url = reverse(f"inspections:{name}", args=[evaluation_cycle.pk] if name == "cycle_detail" else [])
    client_for(client, bureau_official)
    add_kindergartens_with_assessments(evaluation_cycle, 2)
    few = queries(client, url)
    add_kindergartens_with_assessments(evaluation_cycle, 6)
    assert queries(client, url) == few


def test_it_renders_the_form_and_the_detail_page_in_a_fixed_number_of_queries(
    client, bureau_official, kg_a, director_a
):
    from ..factories import handbook

    small = cycle(version=handbook(by=bureau_official, points_per_indicator=1), start_year=2020, by=bureau_official)
    large = cycle(version=handbook(by=bureau_official, points_per_indicator=3), start_year=2023, by=bureau_official)
    counts = []
    client_for(client, director_a)
    for evaluation_cycle in (small, large):
        services.cycle_assign_kindergartens(cycle=evaluation_cycle, user=bureau_official)
        assessment = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle, user=director_a)
        rate_all(assessment, director_a, skip=1)
        counts.append(
            (
                queries(client, reverse("inspections:self_assessment_edit", args=[assessment.pk])),
                queries(client, assessment.get_absolute_url()),
                queries(client, reverse("inspections:self_assessment_versions", args=[assessment.pk])),
            )
        )
    assert counts[0] == counts[1]


# --- from the access-control and input-validation review: refused input is a 404, never a 500 ---

SUPERSCRIPT_TWO = "²"  # "²".isdigit() is True, int("²") raises ValueError


def test_starting_a_self_assessment_with_a_cycle_that_is_not_a_number_is_a_404(client, director_a):
    response = client_for(client, director_a).post(
        reverse("inspections:self_assessment_start"), {"cycle": SUPERSCRIPT_TWO}
    )
    assert response.status_code == 404
