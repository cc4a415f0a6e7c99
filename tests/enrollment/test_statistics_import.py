"""The annual statistics workbook: template, import (all or nothing, idempotent), command, upload, export."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from common.spreadsheets import ImportRejected, SpreadsheetError
from enrollment.models import ChildPopulation, EnrollmentByAge, SchoolClass, SchoolYear
from enrollment.services import school_year_lock, statistics_import
from tests.conftest import client_for

from .factories import SchoolClassFactory

CLASS_HEADERS = ["幼儿园编码", "学年", "班级类型", "班级名称", "核定班额", "在班幼儿数"]
AGE_HEADERS = ["幼儿园编码", "学年", "2岁", "3岁", "4岁", "5岁", "6岁"]
POPULATION_HEADERS = ["街道/地区", "年份", "0岁", "1岁", "2岁", "3岁", "4岁", "5岁", "6岁", "口径"]


def workbook(sheets: dict[str, list[list]], name: str = "统计报表.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def valid_sheets() -> dict[str, list[list]]:
    return {
        "班级": [
            CLASS_HEADERS,
            ["KGA0001", "2026-2027", "小班", "小一班", 25, 24],
            ["KGA0001", "2026-2027", "大班", "大一班", 35, 36],
            ["KGC0001", 2026, "托班", "托一班", 20, 15],
        ],
        "分年龄在园幼儿": [
            AGE_HEADERS,
            ["KGA0001", "2026-2027", 0, 24, 0, 30, 6],
            ["KGC0001", "2026-2027", 15, 0, 0, 0, 0],
        ],
        "常住儿童人口": [
            POPULATION_HEADERS,
            ["望京", 2026, 900, 950, 1000, 1100, 1050, 1000, 980, "常住人口"],
            ["110105016", 2026, 500, 520, 540, 560, 580, 600, 610, ""],
        ],
    }


def snapshot() -> tuple:
    """Every imported row and every history row, to prove what changed (and what did not)."""
    return (
        sorted(SchoolClass.objects.values_list("kindergarten__code", "school_year__start_year", "name", "enrolled")),
        sorted(EnrollmentByAge.objects.values_list("kindergarten__code", "age", "children")),
        sorted(ChildPopulation.objects.values_list("subdistrict__name", "year", "age", "basis", "children")),
        SchoolClass.history.count(),
        EnrollmentByAge.history.count(),
        ChildPopulation.history.count(),
    )


@pytest.mark.django_db
class TestImport:
    def test_it_imports_all_three_sheets(self, kg_a, kg_c, bureau_official):
        result = statistics_import(file=workbook(valid_sheets()), user=bureau_official)

        assert result.created == {"classes": 3, "children_by_age": 10, "population": 14}
        assert result.school_years_created == [2026]
        big = SchoolClass.objects.get(name="大一班")
        assert (big.kindergarten, big.school_year.start_year, big.class_type, big.enrolled) == (
            kg_a,
            2026,
            "senior",
            36,
        )
        assert big.history.get().history_user == bureau_official
        assert big.history.get().history_change_reason == "统计报表导入"
        assert EnrollmentByAge.objects.get(kindergarten=kg_a, age=5).children == 30
        shuangjing = ChildPopulation.objects.filter(subdistrict__name="双井", year=2026)
        assert dict(shuangjing.values_list("age", "children"))[6] == 610
        assert set(shuangjing.values_list("basis", flat=True)) == {"resident"}

    def test_it_changes_nothing_when_the_same_file_is_imported_again(self, kg_a, kg_c, bureau_official):
        statistics_import(file=workbook(valid_sheets()), user=bureau_official)
        before = snapshot()

        result = statistics_import(file=workbook(valid_sheets()), user=bureau_official)

        assert not result.changed
        assert result.unchanged == {"classes": 3, "children_by_age": 10, "population": 14}
        assert snapshot() == before

    def test_it_replaces_the_classes_of_each_kindergarten_year_in_the_file(self, kg_a, kg_b, kg_c, bureau_official):
        year = SchoolYear.objects.create(start_year=2026)
        SchoolClassFactory(kindergarten=kg_a, school_year=year, name="旧班", enrolled=10)
        untouched = SchoolClassFactory(kindergarten=kg_b, school_year=year, name="小一班", enrolled=10)
        sheets = valid_sheets()
        sheets["班级"][1][5] = 20  # 小一班 24 -> 20
        sheets["分年龄在园幼儿"][1][3] = 20

        result = statistics_import(file=workbook(sheets), user=bureau_official)

        assert result.deleted["classes"] == 1
        assert sorted(SchoolClass.objects.filter(kindergarten=kg_a).values_list("name", "enrolled")) == [
            ("大一班", 36),
            ("小一班", 20),
        ]
        assert SchoolClass.objects.filter(pk=untouched.pk).exists()
        assert SchoolClass.history.filter(name="旧班", history_type="-", history_user=bureau_official).exists()

    def test_it_updates_changed_rows_of_every_sheet(self, kg_a, kg_c, bureau_official):
        statistics_import(file=workbook(valid_sheets()), user=bureau_official)
        sheets = valid_sheets()
        sheets["班级"][3][2] = "混合班"  # 托一班 becomes a mixed class
        sheets["分年龄在园幼儿"][2][2:7] = [5, 10, 0, 0, 0]
        sheets["常住儿童人口"][1][5] = 1234

        result = statistics_import(file=workbook(sheets), user=bureau_official)

        assert result.updated == {"classes": 1, "children_by_age": 2, "population": 1}
        assert SchoolClass.objects.get(name="托一班").class_type == "mixed"
        assert dict(EnrollmentByAge.objects.filter(kindergarten=kg_c).values_list("age", "children"))[3] == 10
        assert ChildPopulation.objects.get(subdistrict__name="望京", year=2026, age=3).children == 1234
        assert ChildPopulation.history.filter(history_type="~", children=1234, history_user=bureau_official).exists()

    @pytest.mark.parametrize(
        ("sheet", "row", "col", "value", "column", "message"),
        [
            ("班级", 2, 0, "NOPE001", "幼儿园编码", "找不到"),
            ("班级", 3, 2, "特长班", "班级类型", "不是可选值"),
            ("班级", 2, 5, -1, "在班幼儿数", "不能为负数"),
            ("班级", 4, 1, "2026-2028", "学年", "不是相邻两年"),
            ("分年龄在园幼儿", 3, 4, "", "4岁", "不能为空"),
            ("分年龄在园幼儿", 2, 6, "六", "6岁", "不是整数"),
            ("常住儿童人口", 3, 0, "火星", "街道/地区", "找不到"),
            ("常住儿童人口", 2, 9, "流动人口", "口径", "不是可选值"),
        ],
    )
    def test_it_rejects_the_whole_file_for_one_bad_cell_in_any_sheet(
        self, kg_a, kg_c, bureau_official, sheet, row, col, value, column, message
    ):
        sheets = valid_sheets()
        sheets[sheet][row - 1][col] = value

        with pytest.raises(ImportRejected) as rejected:
            statistics_import(file=workbook(sheets), user=bureau_official)

        [error] = rejected.value.errors
        assert (error.sheet, error.row, error.column) == (sheet, row, column)
        assert message in error.message
        assert snapshot() == ([], [], [], 0, 0, 0)
        assert not SchoolYear.objects.exists()

    def test_it_lists_errors_from_several_sheets_in_file_order(self, kg_a, kg_c, bureau_official):
        sheets = valid_sheets()
        sheets["常住儿童人口"][1][1] = "明年"
        sheets["班级"][2][3] = "小一班"  # the same name twice in one kindergarten-year

        with pytest.raises(ImportRejected) as rejected:
            statistics_import(file=workbook(sheets), user=bureau_official)

        assert [(e.sheet, e.row, e.column) for e in rejected.value.errors] == [
            ("班级", 3, "班级名称"),
            ("常住儿童人口", 2, "年份"),
        ]

    def test_it_rejects_ages_that_do_not_add_up_to_the_classes(self, kg_a, kg_c, bureau_official):
        sheets = valid_sheets()
        sheets["分年龄在园幼儿"][1][3] = 23

        with pytest.raises(ImportRejected) as rejected:
            statistics_import(file=workbook(sheets), user=bureau_official)

        [error] = rejected.value.errors
        assert (error.sheet, error.row) == ("分年龄在园幼儿", 2)
        assert "59" in error.message and "60" in error.message
        assert not SchoolClass.objects.exists()

    def test_it_refuses_rows_for_a_locked_year(self, kg_a, kg_c, bureau_official):
        school_year_lock(school_year=SchoolYear.objects.create(start_year=2026), user=bureau_official)

        with pytest.raises(ImportRejected) as rejected:
            statistics_import(file=workbook(valid_sheets()), user=bureau_official)

        assert {(e.sheet, e.column) for e in rejected.value.errors} == {("班级", "学年"), ("分年龄在园幼儿", "学年")}
        assert not ChildPopulation.objects.exists()

    def test_it_reports_a_missing_column_with_its_sheet(self, kg_a, kg_c, bureau_official):
        sheets = valid_sheets()
        sheets["班级"] = [[c for c in row[:5]] for row in sheets["班级"]]

        with pytest.raises(ImportRejected) as rejected:
            statistics_import(file=workbook(sheets), user=bureau_official)

        assert [(e.sheet, e.row, e.column) for e in rejected.value.errors] == [("班级", 1, "在班幼儿数")]

    def test_it_imports_a_workbook_with_only_some_sheets(self, bureau_official):
        sheets = {"常住儿童人口": valid_sheets()["常住儿童人口"], "班级": [CLASS_HEADERS]}

        result = statistics_import(file=workbook(sheets), user=bureau_official)

        assert result.created["population"] == 14
        assert result.created["classes"] == 0

    def test_it_rejects_files_that_are_not_xlsx_or_too_large(self, bureau_official):
        with pytest.raises(SpreadsheetError, match=r"\.xlsx"):
            statistics_import(file=SimpleUploadedFile("统计.xls", b"\xd0\xcf\x11\xe0"), user=bureau_official)
        with pytest.raises(SpreadsheetError, match=r"不是有效的 \.xlsx"):
            statistics_import(file=SimpleUploadedFile("统计.xlsx", b"name,age\n"), user=bureau_official)
        with override_settings(MAX_UPLOAD_BYTES=100), pytest.raises(SpreadsheetError, match="文件过大"):
            statistics_import(file=workbook(valid_sheets()), user=bureau_official)

    def test_it_refuses_a_workbook_without_any_statistics_sheet(self, bureau_official):
        with pytest.raises(SpreadsheetError, match="请使用统计报表模板"):
            statistics_import(file=workbook({"Sheet1": [["a"], [1]]}), user=bureau_official)


@pytest.mark.django_db
class TestCommand:
    def write(self, tmp_path: Path, sheets: dict) -> Path:
        path = tmp_path / "statistics.xlsx"
        path.write_bytes(workbook(sheets).read())
        return path

    def test_it_imports_and_exits_zero(self, kg_a, kg_c, tmp_path, capsys):
        call_command("import_statistics", str(self.write(tmp_path, valid_sheets())))

        assert "导入完成" in capsys.readouterr().out
        assert SchoolClass.objects.count() == 3

    def test_it_exits_one_and_lists_errors_for_bad_rows(self, kg_a, kg_c, tmp_path):
        sheets = valid_sheets()
        sheets["班级"][1][0] = "NOPE001"
        stderr = io.StringIO()

        with pytest.raises(CommandError) as failure:
            call_command("import_statistics", str(self.write(tmp_path, sheets)), stderr=stderr)

        assert failure.value.returncode == 1
        assert "班级\t第 2 行\t幼儿园编码" in stderr.getvalue()
        assert not SchoolClass.objects.exists()

    def test_it_exits_two_for_an_unusable_file(self, tmp_path):
        text = tmp_path / "statistics.csv"
        text.write_text("a,b\n")

        with pytest.raises(CommandError) as not_xlsx:
            call_command("import_statistics", str(text))
        with pytest.raises(CommandError) as missing:
            call_command("import_statistics", str(tmp_path / "missing.xlsx"))

        assert not_xlsx.value.returncode == 2
        assert missing.value.returncode == 2

    def test_it_exits_with_the_status_in_a_real_process(self, kg_a, kg_c, tmp_path):
        sheets = valid_sheets()
        sheets["班级"][1][0] = "NOPE001"
        path = self.write(tmp_path, sheets)

        with pytest.raises(SystemExit) as exit_status:
            from django.core.management import execute_from_command_line

            execute_from_command_line(["manage.py", "import_statistics", str(path)])

        assert exit_status.value.code == 1


@pytest.mark.django_db
class TestPages:
    def test_it_imports_an_upload_and_shows_the_counts(self, client, bureau_official, kg_a, kg_c):
        response = client_for(client, bureau_official).post(
            reverse("enrollment:statistics_import"), {"file": workbook(valid_sheets())}
        )

        assert response.status_code == 200
        assert response.context["result"].created["classes"] == 3
        assert "导入完成" in response.content.decode()

    def test_it_lists_sheet_row_column_and_reason_for_a_rejected_upload(self, client, bureau_official, kg_a, kg_c):
        sheets = valid_sheets()
        sheets["常住儿童人口"][2][0] = "火星"

        response = client_for(client, bureau_official).post(
            reverse("enrollment:statistics_import"), {"file": workbook(sheets)}
        )

        body = response.content.decode()
        assert "整个文件都没有导入" in body
        assert '<td>常住儿童人口</td><td class="num">3</td><td>街道/地区</td>' in body
        assert not SchoolClass.objects.exists()

    def test_it_shows_a_file_error_on_the_field(self, client, bureau_official):
        response = client_for(client, bureau_official).post(
            reverse("enrollment:statistics_import"), {"file": SimpleUploadedFile("a.csv", b"a,b")}
        )

        assert response.status_code == 200
        assert ".xlsx" in response.context["form"].errors["file"][0]

    def test_it_lets_only_the_bureau_upload(self, client, wangjing_official, director_a):
        for user in (wangjing_official, director_a):
            assert client_for(client, user).get(reverse("enrollment:statistics_import")).status_code == 403

    def test_it_offers_a_template_with_the_three_sheets_and_chinese_headers(self, client, director_a):
        response = client_for(client, director_a).get(reverse("enrollment:statistics_template"))

        book = openpyxl.load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["班级", "分年龄在园幼儿", "常住儿童人口", "说明"]
        assert [c.value for c in book["班级"][1]] == CLASS_HEADERS
        assert [c.value for c in book["分年龄在园幼儿"][1]] == AGE_HEADERS
        assert [c.value for c in book["常住儿童人口"][1]] == POPULATION_HEADERS

    def test_it_exports_what_it_imports_and_reimports_it_unchanged(self, client, bureau_official, kg_a, kg_c):
        statistics_import(file=workbook(valid_sheets()), user=bureau_official)
        before = snapshot()

        response = client_for(client, bureau_official).get(reverse("enrollment:statistics_export"))
        result = statistics_import(file=SimpleUploadedFile("export.xlsx", response.getvalue()), user=bureau_official)

        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert not result.changed
        assert snapshot() == before

    def test_it_exports_only_the_users_area(self, client, bureau_official, wangjing_official, kg_a, kg_c):
        statistics_import(file=workbook(valid_sheets()), user=bureau_official)

        response = client_for(client, wangjing_official).get(reverse("enrollment:statistics_export"))

        book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
        assert {row[0] for row in book["班级"].iter_rows(min_row=2, values_only=True)} == {"KGA0001"}
        assert {row[0] for row in book["常住儿童人口"].iter_rows(min_row=2, values_only=True)} == {"望京"}
