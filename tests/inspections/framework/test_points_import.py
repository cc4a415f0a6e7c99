"""Loading the handbook's points from Excel: all rows or none, into drafts only; exports re-import."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.spreadsheets import ImportRejected, build_workbook, workbook_bytes
from inspections import services
from inspections.models import AssessmentPoint, Locked
from inspections.spreadsheets import points_sheets
from tests.conftest import client_for

from ..factories import handbook, national_framework

pytestmark = pytest.mark.django_db

HEADER = ["关键指标", "考查要点", "评估指引", "应提供的佐证材料", "表述来源", "出处", "评分等级表"]


def workbook(rows, header=HEADER) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "考查要点"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("手册.xlsx", buffer.getvalue())


@pytest.fixture
def draft(bureau_official):
    return services.framework_version_copy(source=national_framework(), user=bureau_official, name="区评估手册")


def test_it_loads_points_by_indicator_name_or_number_in_file_order(draft, bureau_official):
    rows = [
        ["师幼互动", "教师尊重幼儿", "观察", "观察记录", "区评估手册", "", ""],
        [8, "教师回应幼儿的提问", "", "", "", "", ""],
        ["1", "党组织发挥作用", "", "", "", "", ""],
    ]
    result = services.import_assessment_points(version=draft, file=workbook(rows), user=bureau_official)
    assert (result.created, result.deleted) == (3, 0)
    texts = list(draft.points().values_list("key_indicator__name", "text"))
    assert texts == [("党建工作", "党组织发挥作用"), ("师幼互动", "教师尊重幼儿"), ("师幼互动", "教师回应幼儿的提问")]
    assert AssessmentPoint.objects.get(text="教师尊重幼儿").history.first().history_user == bureau_official


def test_it_rejects_the_whole_file_when_any_row_is_wrong(draft, bureau_official):
    rows = [
        ["师幼互动", "好的一行", "", "", "", "", ""],
        ["不存在的指标", "指标错", "", "", "", "", ""],
        ["师幼互动", "", "", "", "", "", ""],
        ["师幼互动", "声称原文却无出处", "", "", "《指南》原文", "", ""],
    ]
    with pytest.raises(ImportRejected) as rejected:
        services.import_assessment_points(version=draft, file=workbook(rows), user=bureau_official)
    assert sorted({e.row for e in rejected.value.errors}) == [3, 4, 5]
    assert not draft.points().exists()


def test_it_replaces_or_appends_and_refuses_published_versions(draft, bureau_official):
    services.import_assessment_points(
        version=draft, file=workbook([["师幼互动", "旧要点", "", "", "", "", ""]]), user=bureau_official
    )
    services.import_assessment_points(
        version=draft, file=workbook([["师幼互动", "追加", "", "", "", "", ""]]), user=bureau_official
    )
    assert draft.points().count() == 2
    result = services.import_assessment_points(
        version=draft, file=workbook([["师幼互动", "新要点", "", "", "", "", ""]]), user=bureau_official, replace=True
    )
    assert (result.created, result.deleted) == (1, 2)
    assert list(draft.points().values_list("text", flat=True)) == ["新要点"]
    with pytest.raises(Locked):
        services.import_assessment_points(
            version=national_framework(), file=workbook([["师幼互动", "x", "", "", "", "", ""]]), user=bureau_official
        )


def test_it_reimports_an_exported_handbook_into_a_new_draft(bureau_official):
    published = handbook(by=bureau_official, points_per_indicator=2)
    exported = SimpleUploadedFile("导出.xlsx", workbook_bytes(build_workbook(points_sheets(published))))
    draft = services.framework_version_copy(source=national_framework(), user=bureau_official, name="新手册")
    result = services.import_assessment_points(version=draft, file=exported, user=bureau_official)
    assert result.created == 30
    assert list(draft.points().values_list("key_indicator__name", "text")) == list(
        published.points().values_list("key_indicator__name", "text")
    )


def test_it_imports_through_the_page_and_shows_row_errors(client, draft, bureau_official):
    client_for(client, bureau_official)
    url = reverse("inspections:points_import", args=[draft.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": workbook([["无此指标", "x", "", "", "", "", ""]])})
    assert response.status_code == 200 and "文件未导入" in response.content.decode()
    response = client.post(url, {"file": workbook([["师幼互动", "页面导入", "", "", "", "", ""]])})
    assert response.status_code == 302
    assert draft.points().get().text == "页面导入"
    response = client.get(reverse("inspections:points_export", args=[draft.pk]) + "?template=1")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
