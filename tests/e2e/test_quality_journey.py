"""Quality evaluation in a real browser: one kindergarten's way through a cycle, person by person.

Only the preconditions are built in the database — a published handbook of four points, the
current cycle with kindergarten A in its plan, and an evaluation team (the inspector) assigned
to it. Everything else happens on the pages, as the people do it:

1. The director starts the self-assessment, rates two points (one with an evidence file), saves
   the draft, leaves and comes back to find it as saved, is told which points are still
   missing when submitting too early, completes it and submits.
2. A bureau official returns it with a comment (after being told a return needs one).
3. The director reads the comment, revises it as version 2 and resubmits.
4. The inspector records the external evaluation — visit date, a rating and findings per
   point — and submits it.
5. The comparison page marks the points where the inspector's rating differs from the
   kindergarten's own, and leaves the equal ones unmarked.
6. A bureau official approves and publishes the result (before that, no issue list can be
   drawn from it: the director would see the findings early).
7. The inspector draws up an issue from a finding, the director reports the improvement with
   evidence, and the inspector verifies it.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from inspections import services
from inspections.choices import AssessmentStatus, EvaluationStatus, IssueSource, IssueStatus, PointOrigin
from inspections.models import ExternalEvaluation, KeyIndicator, QualityIssue, SelfAssessment
from tests.inspections.factories import PNG_BYTES, assign, assigned, formed_team, national_framework

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# One point under each of four key indicators (test wording, as in the unit tests' handbook).
POINTS = {
    "品德启蒙": "测试要点：品德启蒙融入一日生活",
    "生活照料": "测试要点：进餐、午睡、如厕环节照料细致",
    "师幼互动": "测试要点：教师以开放性提问支持幼儿探究",
    "玩具材料": "测试要点：区域材料丰富，幼儿可自主取放",
}
RETURN_COMMENT = "“师幼互动”评为“需改进”与佐证说明不符，请核实观察记录后重新评分。"
FINDING = "午睡环节值班教师离岗，个别幼儿如厕无人照看。"
EVIDENCE_PNG = {"name": "午睡值班表.png", "mimeType": "image/png", "buffer": PNG_BYTES}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # The evidence files uploaded through the pages go to a temporary folder, not var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def cycle(bureau_official, kg_a):
    """A published handbook of four points, the current cycle on it, kindergarten A planned next year."""
    draft = services.framework_version_copy(
        source=national_framework(), user=bureau_official, name="朝阳区幼儿园保育教育质量评估手册（测试）"
    )
    for indicator_name, text in POINTS.items():
        services.assessment_point_create(
            key_indicator=KeyIndicator.objects.get(area__framework_version=draft, name=indicator_name),
            user=bureau_official,
            text=text,
            guidance="观察一日活动",
            evidence_expected="活动记录、照片",
            origin=PointOrigin.DISTRICT,
        )
    version = services.framework_version_publish(version=draft, user=bureau_official)
    start_year = timezone.localdate().year
    built = services.evaluation_cycle_create(
        name=f"{start_year}—{start_year + 2} 年评估周期",
        start_year=start_year,
        framework_version=version,
        user=bureau_official,
    )
    # Next year's due date: the journey does not depend on the day it runs.
    assign(built, kg_a, year=start_year + 1)
    return built


def main_nav(page: Page):
    return page.get_by_role("navigation", name="主导航")


def sub_nav(page: Page):
    return page.get_by_role("navigation", name="质量评估")


def messages(page: Page):
    return page.locator(".messages")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def open_quality_section(page: Page) -> None:
    main_nav(page).get_by_role("link", name="质量评估").click()


def point_item(page: Page, form_id: str, indicator: str):
    """A point of a filling form (the list of missing points above it names points too)."""
    return page.locator(f"#{form_id}").get_by_role("listitem").filter(has_text=POINTS[indicator])


def rate(item, level: str, label: str, text: str) -> None:
    item.get_by_role("radio", name=level, exact=True).check()
    item.get_by_label(label).fill(text)


def comparison_row(page: Page, indicator: str):
    return page.locator("#comparison").get_by_role("row").filter(has_text=indicator)


def test_it_walks_a_kindergarten_through_self_assessment_evaluation_and_improvement(
    page: Page, live_server, login, kg_a, director_a, bureau_official, inspector, cycle
):
    team = formed_team(cycle, bureau_official, inspector, name="望京评估一组")
    assigned(team, bureau_official, kg_a)

    # --- 1. The director fills part of the self-assessment and saves it as a draft -----------------
    login(director_a)
    open_quality_section(page)
    expect(page).to_have_url(f"{live_server.url}/inspections/self-assessments/mine/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("本园自评")
    expect(page.locator("dl.facts")).to_contain_text("尚未开始")
    page.get_by_role("button", name="开始自评").click()

    assessment = SelfAssessment.objects.get(kindergarten=kg_a, cycle=cycle)
    edit_url = f"{live_server.url}/inspections/self-assessments/{assessment.pk}/edit/"
    expect(page).to_have_url(edit_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("填写自评")
    expect(page.locator("#progress")).to_contain_text("已评分 0 / 4 个考查要点")

    first = point_item(page, "self-assessment-form", "品德启蒙")
    rate(first, "3 · 良好", "佐证说明", "晨间谈话与值日生制度记录齐全")
    first.get_by_label("上传佐证材料").set_input_files(
        {"name": "晨间谈话记录.png", "mimeType": "image/png", "buffer": PNG_BYTES}
    )
    rate(point_item(page, "self-assessment-form", "生活照料"), "4 · 优秀", "佐证说明", "午睡巡视记录每日填写")
    page.get_by_role("button", name="保存草稿").click()

    expect(messages(page)).to_contain_text("草稿已保存，可以随时回来继续填写。")
    expect(page).to_have_url(edit_url)
    expect(page.locator("#progress")).to_contain_text("已评分 2 / 4 个考查要点")
    assert assessment.ratings.filter(level__isnull=False).count() == 2

    # Away to the kindergarten's page, and back through the navigation: the draft is as saved.
    main_nav(page).get_by_role("link", name="本园", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/kindergartens/{kg_a.pk}/")
    open_quality_section(page)
    expect(page.locator("dl.facts")).to_contain_text("第 1 版 · 草稿")
    page.get_by_role("link", name="继续填写").click()
    expect(page).to_have_url(edit_url)
    first = point_item(page, "self-assessment-form", "品德启蒙")
    expect(first.get_by_role("radio", name="3 · 良好")).to_be_checked()
    expect(first.get_by_role("radio", name="4 · 优秀")).not_to_be_checked()
    expect(first.get_by_label("佐证说明")).to_have_value("晨间谈话与值日生制度记录齐全")
    expect(first.get_by_role("link", name="晨间谈话记录.png")).to_be_visible()
    second = point_item(page, "self-assessment-form", "生活照料")
    expect(second.get_by_role("radio", name="4 · 优秀")).to_be_checked()
    expect(second.get_by_label("佐证说明")).to_have_value("午睡巡视记录每日填写")
    third = point_item(page, "self-assessment-form", "师幼互动")
    for level in ("1 · 需改进", "2 · 基本达到", "3 · 良好", "4 · 优秀"):
        expect(third.get_by_role("radio", name=level)).not_to_be_checked()

    # Submitting too early names the points still to be rated.
    page.get_by_role("button", name="提交自评").click()
    expect(messages(page)).to_contain_text("草稿已保存，但还有 2 个考查要点未评分，不能提交。")
    expect(page.get_by_role("heading", name="尚未评分的考查要点（2 个）")).to_be_visible()
    missing = page.locator(".missing-list").get_by_role("listitem")
    expect(missing).to_have_count(2)
    expect(missing.nth(0)).to_contain_text("3. 师幼互动")
    expect(missing.nth(1)).to_contain_text("4. 玩具材料")
    for indicator in ("师幼互动", "玩具材料"):
        expect(point_item(page, "self-assessment-form", indicator).get_by_role("alert")).to_have_text(
            "请为该考查要点评分。"
        )
    for indicator in ("品德启蒙", "生活照料"):
        expect(point_item(page, "self-assessment-form", indicator).get_by_role("alert")).to_have_count(0)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT

    # Complete the rest and submit.
    rate(point_item(page, "self-assessment-form", "师幼互动"), "1 · 需改进", "佐证说明", "教师提问以封闭式为主")
    rate(point_item(page, "self-assessment-form", "玩具材料"), "3 · 良好", "佐证说明", "各班区域材料每月更新")
    page.get_by_label("自评总结").fill("本园保育工作扎实，师幼互动有待加强。")
    page.get_by_role("button", name="提交自评").click()

    detail_url = f"{live_server.url}/inspections/self-assessments/{assessment.pk}/"
    expect(page).to_have_url(detail_url)
    expect(messages(page)).to_contain_text("自评已提交，等待区教委审核。提交后不能再修改。")
    expect(page.locator(".badges")).to_contain_text("已提交")
    expect(page.locator(".stats")).to_contain_text("4 / 4")
    expect(page.get_by_role("link", name="继续填写")).to_have_count(0)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    sign_out(page)

    # --- 2. A bureau official returns it with a comment ------------------------------------------
    login(bureau_official)
    open_quality_section(page)
    sub_nav(page).get_by_role("link", name="自评", exact=True).click()
    expect(page.get_by_role("heading", name="幼儿园自评")).to_be_visible()
    listed = page.locator("table.table tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("已提交")
    listed.get_by_role("link", name="望京第一幼儿园").click()
    expect(page).to_have_url(detail_url)
    expect(page.locator("#point-" + str(assessment.framework_version.points().first().pk))).to_contain_text(
        "晨间谈话与值日生制度记录齐全"
    )

    review = page.locator("#review-form")
    review.get_by_role("radio", name="退回修改").check()
    review.get_by_role("button", name="提交审核结论").click()
    expect(page.locator("#review-form").get_by_role("alert")).to_contain_text(
        "退回时须填写审核意见，说明需要修改的地方。"
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    review = page.locator("#review-form")
    expect(review.get_by_role("radio", name="退回修改")).to_be_checked()
    review.get_by_label("审核意见").fill(RETURN_COMMENT)
    review.get_by_role("button", name="提交审核结论").click()
    expect(page).to_have_url(detail_url)
    expect(messages(page)).to_contain_text("自评已退回园所修改。")
    expect(page.locator("#review")).to_contain_text("已退回修改")
    expect(page.locator("#review")).to_contain_text(RETURN_COMMENT)
    expect(page.locator("#review-form")).to_have_count(0)
    sign_out(page)

    # --- 3. The director reads the comment, revises as version 2 and resubmits -------------------
    login(director_a)
    open_quality_section(page)
    expect(page.locator("dl.facts")).to_contain_text("第 1 版 · 已退回")
    expect(page.get_by_role("heading", name="区教委审核意见")).to_be_visible()
    expect(page.locator(".review-comment")).to_have_text(RETURN_COMMENT)
    page.get_by_role("button", name="按意见修订（生成新版本）").click()

    revision = SelfAssessment.objects.get(kindergarten=kg_a, cycle=cycle, version=2)
    expect(page).to_have_url(f"{live_server.url}/inspections/self-assessments/{revision.pk}/edit/")
    expect(messages(page)).to_contain_text("已创建第 2 版，原有评分和材料已带入")
    expect(page.get_by_role("heading", level=1)).to_contain_text("第 2 版")
    expect(page.get_by_role("heading", name="上一版本的审核意见")).to_be_visible()
    expect(page.locator(".review-comment")).to_have_text(RETURN_COMMENT)
    expect(page.locator("#progress")).to_contain_text("已评分 4 / 4 个考查要点")
    third = point_item(page, "self-assessment-form", "师幼互动")
    expect(third.get_by_role("radio", name="1 · 需改进")).to_be_checked()
    rate(third, "2 · 基本达到", "佐证说明", "核实观察记录：半数活动有开放性提问")
    page.get_by_role("button", name="提交自评").click()

    expect(page).to_have_url(f"{live_server.url}/inspections/self-assessments/{revision.pk}/")
    expect(messages(page)).to_contain_text("自评已提交，等待区教委审核。")
    expect(page.get_by_role("heading", level=1)).to_contain_text("第 2 版")
    versions = page.locator("#versions tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.filter(has_text="第 2 版")).to_contain_text("已提交")
    expect(versions.filter(has_text="第 1 版")).to_contain_text("已退回")
    assessment.refresh_from_db()
    revision.refresh_from_db()
    assert (assessment.status, revision.status) == (AssessmentStatus.RETURNED, AssessmentStatus.SUBMITTED)
    sign_out(page)

    # --- 4. The inspector records the external evaluation and submits it -------------------------
    evaluation = ExternalEvaluation.objects.get(kindergarten=kg_a, cycle=cycle)
    login(inspector)
    open_quality_section(page)
    expect(page).to_have_url(f"{live_server.url}/inspections/evaluations/mine/")
    drafts = page.locator("#group-draft")
    expect(drafts.get_by_role("row").filter(has_text="望京第一幼儿园")).to_contain_text("望京评估一组")
    drafts.get_by_role("row").filter(has_text="望京第一幼儿园").get_by_role("link", name="记录评估").click()
    expect(page).to_have_url(f"{live_server.url}/inspections/evaluations/{evaluation.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("记录督导评估")

    visit_date = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("入园评估日期").fill(visit_date.isoformat())
    page.get_by_label("建议评估结果等级").select_option(label="良好")
    for indicator, level, findings in (
        ("品德启蒙", "3 · 良好", ""),
        ("生活照料", "2 · 基本达到", FINDING),
        ("师幼互动", "3 · 良好", "教师能追随幼儿兴趣开放提问。"),
        ("玩具材料", "3 · 良好", ""),
    ):
        rate(point_item(page, "evaluation-form", indicator), level, "评估发现", findings)
    page.get_by_label("评估意见").fill("保教工作总体良好，生活照料环节需加强。")
    page.get_by_role("button", name="提交区教委审定").click()

    evaluation_url = f"{live_server.url}/inspections/evaluations/{evaluation.pk}/"
    expect(page).to_have_url(evaluation_url)
    expect(messages(page)).to_contain_text("督导评估已提交，等待区教委审定。")
    expect(page.locator(".badges")).to_contain_text("待审定")
    expect(page.locator(".badges")).to_contain_text(visit_date.isoformat())
    expect(page.locator(".stats")).to_contain_text("4 / 4")
    expect(page.locator(".findings")).to_have_count(2)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED
    assert evaluation.grade == "good"

    # --- 5. The comparison marks the points rated differently --------------------------------------
    page.get_by_role("link", name="自评与督导评估对照").click()
    expect(page).to_have_url(f"{live_server.url}/inspections/evaluations/{evaluation.pk}/compare/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("自评与督导评估对照")
    expect(page.locator(".hint").first).to_contain_text("自评：第 2 版（已提交）")
    expect(page.locator(".stats")).to_contain_text("2 / 4")
    expect(page.locator(".stats")).to_contain_text("1↑ 1↓")

    lower = comparison_row(page, "生活照料")  # self 4, external 2
    expect(lower).to_have_class(re.compile(r"\bdiffers\b.*\blower\b.*\bbig\b"))
    expect(lower).to_contain_text("4 · 优秀")
    expect(lower).to_contain_text("2 · 基本达到")
    expect(lower.locator("td.diff")).to_have_text("-2↓ 督导低于自评")
    expect(lower).to_contain_text(FINDING)
    expect(lower.locator("td").first).to_have_css("background-color", "rgb(253, 236, 234)")

    higher = comparison_row(page, "师幼互动")  # self 2 (revised from 1), external 3
    expect(higher).to_have_class(re.compile(r"\bdiffers\b.*\bhigher\b"))
    expect(higher).not_to_have_class(re.compile(r"\bbig\b"))
    expect(higher.locator("td.diff")).to_have_text("+1↑ 督导高于自评")
    expect(higher.locator("td").first).to_have_css("background-color", "rgb(255, 250, 240)")

    for indicator in ("品德启蒙", "玩具材料"):  # 3 and 3
        same = comparison_row(page, indicator)
        expect(same).not_to_have_class(re.compile(r"\bdiffers\b"))
        expect(same.locator("td.diff")).to_have_text("0")
        expect(same.locator("td").first).not_to_have_css("background-color", "rgb(253, 236, 234)")
        expect(same.locator("td").first).not_to_have_css("background-color", "rgb(255, 250, 240)")

    # Issues come from an evaluation only once the bureau has published it.
    page.get_by_role("link", name="返回督导评估").click()
    expect(page).to_have_url(evaluation_url)
    expect(page.get_by_role("link", name="生成问题清单")).to_have_count(0)
    sign_out(page)

    # --- 6. The bureau approves and publishes the result ----------------------------------------------
    login(bureau_official)
    page.goto(evaluation_url)
    review = page.locator("#review-form")
    review.get_by_role("radio", name="审定通过并公布").check()
    expect(review.get_by_label("评估结果等级")).to_have_value("good")  # the evaluators' proposal
    review.get_by_label("审定意见").fill("同意评估组意见。")
    page.once("dialog", lambda dialog: dialog.accept())  # publishing asks first (static/js/confirm.js)
    review.get_by_role("button", name="提交审定结论").click()
    expect(page).to_have_url(evaluation_url)
    expect(messages(page)).to_contain_text("督导评估已审定并公布。")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.PUBLISHED
    sign_out(page)

    # --- 7. An issue from the finding: reported by the director, verified by the inspector --------
    login(inspector)
    page.goto(evaluation_url)
    page.get_by_role("link", name="生成问题清单").click()
    expect(page).to_have_url(f"{live_server.url}/inspections/issues/from/external-evaluation/{evaluation.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("生成问题清单")
    rows = page.locator("table.issue-rows tbody tr")
    expect(rows).to_have_count(4)
    # Preselected: the low rating with findings, and the other finding; not the unremarked points.
    expect(rows.filter(has_text="生活照料").get_by_role("checkbox")).to_be_checked()
    expect(rows.filter(has_text="生活照料").locator("textarea")).to_have_value(FINDING)
    expect(rows.filter(has_text="师幼互动").get_by_role("checkbox")).to_be_checked()
    expect(rows.filter(has_text="品德启蒙").get_by_role("checkbox")).not_to_be_checked()
    rows.filter(has_text="师幼互动").get_by_role("checkbox").uncheck()
    page.get_by_role("button", name="列入问题清单").click()

    expect(messages(page)).to_contain_text("已将 1 个问题列入问题清单。")
    issue = QualityIssue.objects.get(kindergarten=kg_a)
    assert issue.source == IssueSource.EXTERNAL_EVALUATION
    assert issue.external_evaluation_id == evaluation.pk
    assert issue.point.text == POINTS["生活照料"]
    listed = page.locator("table.table tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("待整改")
    expect(listed).to_contain_text(POINTS["生活照料"])
    sign_out(page)

    login(director_a)
    open_quality_section(page)
    sub_nav(page).get_by_role("link", name="本园问题清单").click()
    expect(page.get_by_role("heading", name="本园问题清单")).to_be_visible()
    page.locator("table.table tbody tr").get_by_role("link", name="望京第一幼儿园").click()
    issue_url = f"{live_server.url}/inspections/issues/{issue.pk}/"
    expect(page).to_have_url(issue_url)
    expect(page.locator(".badges")).to_contain_text("待整改")
    expect(page.locator("dl.facts")).to_contain_text(FINDING)
    expect(page.locator("#verify")).to_have_count(0)
    report = page.locator("#report")
    report.get_by_label("整改成效说明").fill("已调整午睡值班安排，每班午睡时段保证一名教师在岗巡视。")
    report.get_by_label("佐证材料").set_input_files(EVIDENCE_PNG)
    report.get_by_role("button", name="提交整改成效").click()

    expect(page).to_have_url(issue_url)
    expect(messages(page)).to_contain_text("已报告整改成效，等待验证。")
    expect(page.locator(".badges")).to_contain_text("待验证")
    events = page.locator("#events")
    expect(events).to_contain_text("报告整改成效")
    expect(events).to_contain_text("每班午睡时段保证一名教师在岗巡视")
    expect(events.get_by_role("link", name="午睡值班表.png")).to_be_visible()
    expect(page.locator("#report")).to_have_count(0)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.REPORTED
    sign_out(page)

    login(inspector)
    open_quality_section(page)
    sub_nav(page).get_by_role("link", name="问题清单").click()
    listed = page.locator("table.table tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("待验证")
    listed.get_by_role("link", name="望京第一幼儿园").click()
    expect(page).to_have_url(issue_url)
    verify = page.locator("#verify")
    verify.get_by_role("radio", name="验证通过").check()
    verify.get_by_label("验证意见").fill("回访查看午睡值班记录，落实到位。")
    verify.get_by_role("button", name="提交验证结论").click()

    expect(page).to_have_url(issue_url)
    expect(messages(page)).to_contain_text("整改成效已验证。")
    expect(page.locator(".badges")).to_contain_text("已验证")
    expect(page.locator("dl.facts")).to_contain_text("验证时间")
    expect(page.locator("dl.facts")).to_contain_text(str(inspector))
    expect(page.locator("#events .event")).to_have_count(2)
    expect(page.locator("#events .event").last).to_contain_text("回访查看午睡值班记录，落实到位。")
    expect(page.locator("#verify")).to_have_count(0)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.VERIFIED
    assert issue.verified_by == inspector
