"""Excel in and out for the kindergarten registry: import service, command, pages and export."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from accounts.history import history_entries
from common.spreadsheets import ImportRejected, SpreadsheetError
from kindergartens.choices import DayType, EstateStage, InclusiveStatus, LicenceStatus, NamingRuleCategory, SponsorType
from kindergartens.models import Kindergarten
from kindergartens.services import ImportResult, import_kindergartens
from kindergartens.spreadsheets import kindergarten_columns

from ..conftest import client_for
from ..factories import KindergartenFactory

HEADERS = [c.header for c in kindergarten_columns() if not c.read_only]
IMPORT_URL = reverse("kindergartens:kindergarten_import")
EXPORT_URL = reverse("kindergartens:kindergarten_export")
TEMPLATE_URL = reverse("kindergartens:kindergarten_template")


def row(values: dict[str, Any] | None = None, **by_field: Any) -> dict[str, Any]:
    """A valid row of a new public kindergarten, keyed by header, with `values` laid over it."""
    cells: dict[str, Any] = {
        "幼儿园编码": "NEW0001",
        "幼儿园名称": "朝阳区新苗幼儿园",
        "街道/地区": "望京",
        "举办者类型": "教育部门",
        "普惠性质": "公办园",
        "办园许可状态": "已取得办园许可",
        "核定学位数": 200,
    }
    cells.update(values or {})
    return cells


def xlsx(rows: list[dict[str, Any]], *, headers: list[str] = HEADERS, name: str = "幼儿园名录.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for cells in rows:
        sheet.append([cells.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def sheet_rows(content: bytes, title: str | None = None) -> list[list[Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook[title] if title else workbook.worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def exported_codes(response) -> set[str]:
    assert response.status_code == 200
    return {r[0] for r in sheet_rows(response.content)[1:]}


def rejected_errors(**kwargs) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as rejected:
        import_kindergartens(**kwargs)
    return [(e.row, e.column, e.message) for e in rejected.value.errors]


@pytest.fixture
def varied_kindergartens(kg_a, kg_b, kg_c, shuangjing):
    """The persona kindergartens plus rows that use every kind of column."""
    kg_a.latitude, kg_a.longitude = Decimal("39.998765"), Decimal("116.470123")
    kg_a.phone, kg_a.principal, kg_a.has_toddler_classes = "010-64701234", "张丽", True
    kg_a.international_seats = 20
    kg_a.entrusted_management_expiry = datetime.date(2027, 8, 31)
    kg_a.save()
    return [
        kg_a,
        kg_b,
        kg_c,
        KindergartenFactory(code="KGA0002", name="望京第一幼儿园（花家地分园）", branch_of=kg_a, approved_capacity=90),
        KindergartenFactory(
            code="KGD0001",
            name="双井启明幼儿园",
            subdistrict=shuangjing,
            sponsor_type=SponsorType.PRIVATE_NONPROFIT,
            inclusive_status=InclusiveStatus.INCLUSIVE_PRIVATE,
            recognition_date=datetime.date(2022, 9, 1),
            recognition_expiry=datetime.date(2025, 8, 31),
        ),
        KindergartenFactory(
            code="KGF0001",
            name="望京东湖湾幼儿园",
            is_estate_kindergarten=True,
            estate_name="东湖湾小区",
            estate_stage=EstateStage.HANDOVER,
            estate_handover_gap=True,
            is_village_centre=True,
        ),
        KindergartenFactory(
            code="KGE0001",
            name="望京Sunny双语幼儿园",
            sponsor_type=SponsorType.PRIVATE_FORPROFIT,
            inclusive_status=InclusiveStatus.NON_INCLUSIVE_PRIVATE,
            licence_status=LicenceStatus.UNLICENSED,
            approved_capacity=0,
        ),
    ]


class TestImportService:
    def test_it_creates_kindergartens_with_every_kind_of_cell(self, bureau_official, wangjing, shuangjing):
        upload = xlsx(
            [
                row(
                    {
                        "纬度": 39.99,
                        "经度": "116.47",
                        "联系电话": 13800138000,
                        "开设托班": "是",
                        "办园时制": "半日制",
                        "举办者名称": "北京晨光教育咨询有限公司",
                        "委托管理协议到期日": datetime.date(2027, 8, 31),
                        "国际化学位数": 20,
                    }
                ),
                row(
                    {
                        "幼儿园编码": "NEW0002",
                        "幼儿园名称": "双井启航幼儿园",
                        "街道/地区": shuangjing.code,
                        "举办者类型": "private_nonprofit",
                        "普惠性质": "普惠性民办园",
                        "普惠认定日期": "2023/9/1",
                        "办园许可状态": "社区办园点",
                        "核定学位数": None,
                    }
                ),
            ]
        )
        assert import_kindergartens(file=upload, user=bureau_official) == ImportResult(2, 0, 0)
        first = Kindergarten.objects.get(code="NEW0001")
        assert first.subdistrict == wangjing
        assert (first.latitude, first.longitude) == (Decimal("39.99"), Decimal("116.47"))
        assert first.phone == "13800138000"
        assert first.has_toddler_classes and not first.is_village_centre
        assert first.day_type == DayType.HALF_DAY
        assert first.sponsor_name == "北京晨光教育咨询有限公司"
        assert first.entrusted_management_expiry == datetime.date(2027, 8, 31)
        second = Kindergarten.objects.get(code="NEW0002")
        assert second.subdistrict == shuangjing
        assert second.sponsor_type == SponsorType.PRIVATE_NONPROFIT
        assert second.inclusive_status == InclusiveStatus.INCLUSIVE_PRIVATE
        assert second.recognition_date == datetime.date(2023, 9, 1)
        assert second.licence_status == LicenceStatus.COMMUNITY_POINT
        assert second.approved_capacity == 0
        assert second.day_type == DayType.FULL_DAY  # an empty cell is the default

    def test_it_changes_nothing_and_adds_no_history_the_second_time(self, bureau_official, wangjing):
        rows = [row(), row({"幼儿园编码": "NEW0002", "幼儿园名称": "朝阳区新芽幼儿园", "所属总园": "NEW0001"})]
        assert import_kindergartens(file=xlsx(rows), user=bureau_official) == ImportResult(2, 0, 0)
        history = Kindergarten.history.count()
        updated_at = dict(Kindergarten.objects.values_list("code", "updated_at"))

        assert import_kindergartens(file=xlsx(rows), user=bureau_official) == ImportResult(0, 0, 2)
        assert Kindergarten.history.count() == history
        assert dict(Kindergarten.objects.values_list("code", "updated_at")) == updated_at

    def test_it_re_imports_an_export_unchanged(self, client, bureau_official, varied_kindergartens):
        response = client_for(client, bureau_official).get(EXPORT_URL)
        history = Kindergarten.history.count()
        upload = SimpleUploadedFile("export.xlsx", response.content)
        result = import_kindergartens(file=upload, user=bureau_official)
        assert result == ImportResult(created=0, updated=0, unchanged=len(varied_kindergartens))
        assert Kindergarten.history.count() == history

    def test_it_updates_only_the_rows_that_differ(self, client, bureau_official, varied_kindergartens, kg_a):
        content = client_for(client, bureau_official).get(EXPORT_URL).content
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        sheet = workbook.worksheets[0]
        address = HEADERS.index("地址") + 1
        for cells in sheet.iter_rows(min_row=2):
            if cells[0].value == kg_a.code:
                cells[address - 1].value = "北京市朝阳区望京西路99号"
        buffer = io.BytesIO()
        workbook.save(buffer)

        result = import_kindergartens(file=SimpleUploadedFile("edited.xlsx", buffer.getvalue()), user=bureau_official)
        assert result == ImportResult(created=0, updated=1, unchanged=len(varied_kindergartens) - 1)
        kg_a.refresh_from_db()
        assert kg_a.address == "北京市朝阳区望京西路99号"
        latest = kg_a.history.latest()
        assert (latest.history_type, latest.history_user, latest.address) == ("~", bureau_official, kg_a.address)
        assert latest.history_change_reason == "Excel 导入（edited.xlsx）"

    def test_it_records_imports_in_history_attributed_to_the_importing_user(self, bureau_official, wangjing):
        import_kindergartens(file=xlsx([row()], name="registry.xlsx"), user=bureau_official)
        kindergarten = Kindergarten.objects.get(code="NEW0001")
        record = kindergarten.history.get()
        assert (record.history_type, record.history_user) == ("+", bureau_official)
        assert record.history_change_reason.startswith("Excel 导入")
        entry = history_entries(kindergarten)[0]
        assert (entry.user, entry.kind, entry.reason) == (str(bureau_official), "创建", "Excel 导入（registry.xlsx）")

    @pytest.mark.parametrize(
        ("bad_cells", "column", "reason"),
        [
            ({"街道/地区": "火星"}, "街道/地区", "找不到街道/地区“火星”。"),
            ({"举办者类型": "民办非营利性", "普惠性质": "公办园"}, "普惠性质", "民办幼儿园不能登记为“公办园”。"),
            ({"委托管理协议到期日": "2027-02-30"}, "委托管理协议到期日", "“2027-02-30”不是有效日期"),
            ({"核定学位数": -5}, "核定学位数", "确保该值大于或等于0。"),
            ({"举办者类型": "外资"}, "举办者类型", "“外资”不是可选值"),
            ({"幼儿园名称": None}, "幼儿园名称", "不能为空。"),
        ],
        ids=["sub-district", "private-as-public", "date", "negative-capacity", "choice", "required"],
    )
    def test_it_rejects_the_whole_file_for_one_bad_row(self, bureau_official, kg_a, bad_cells, column, reason):
        before = (Kindergarten.objects.count(), Kindergarten.history.count())
        rows = [
            row({"幼儿园编码": kg_a.code, "幼儿园名称": kg_a.name, "地址": "北京市朝阳区新地址1号"}),
            row({"幼儿园编码": "BAD0001", **bad_cells}),
            row({"幼儿园编码": "NEW0003"}),
        ]
        errors = rejected_errors(file=xlsx(rows), user=bureau_official)
        assert len(errors) == 1
        assert errors[0][:2] == (3, column)
        assert errors[0][2].startswith(reason)
        assert (Kindergarten.objects.count(), Kindergarten.history.count()) == before
        kg_a.refresh_from_db()
        assert kg_a.address != "北京市朝阳区新地址1号"

    def test_it_rejects_a_code_repeated_in_the_file(self, bureau_official, wangjing):
        rows = [row(), row({"幼儿园名称": "朝阳区新芽幼儿园"}), row({"幼儿园编码": "NEW0002"})]
        errors = rejected_errors(file=xlsx(rows), user=bureau_official)
        assert errors == [(3, "幼儿园编码", "编码“NEW0001”与第 2 行重复。")]
        assert not Kindergarten.objects.exists()

    def test_it_lists_every_error_of_every_row(self, bureau_official, wangjing):
        rows = [
            row({"核定学位数": "很多", "开设托班": "也许"}),
            row({"幼儿园编码": "NEW0002", "纬度": 39.9, "国际化学位数": 500}),
        ]
        errors = rejected_errors(file=xlsx(rows), user=bureau_official)
        assert [(r, c) for r, c, _ in errors] == [(2, "核定学位数"), (2, "开设托班"), (3, "经度"), (3, "国际化学位数")]

    def test_it_reports_missing_columns(self, bureau_official):
        headers = [h for h in HEADERS if h not in ("街道/地区", "普惠性质")]
        errors = rejected_errors(file=xlsx([row()], headers=headers), user=bureau_official)
        assert [(r, c) for r, c, _ in errors] == [(1, "街道/地区"), (1, "普惠性质")]

    def test_it_accepts_columns_in_any_order_and_extra_columns(self, bureau_official, wangjing):
        headers = [*reversed(HEADERS), "备注"]
        assert import_kindergartens(file=xlsx([row({"备注": "x"})], headers=headers)) == ImportResult(1, 0, 0)

    def test_it_links_a_branch_to_a_main_kindergarten_created_later_in_the_same_file(self, bureau_official, kg_a):
        rows = [
            row({"幼儿园编码": "BRANCH01", "幼儿园名称": "朝阳区新苗幼儿园（东分园）", "所属总园": "MAIN0001"}),
            row({"幼儿园编码": "MAIN0001"}),
            row({"幼儿园编码": "BRANCH02", "幼儿园名称": "望京第一幼儿园（西分园）", "所属总园": kg_a.code}),
        ]
        assert import_kindergartens(file=xlsx(rows), user=bureau_official) == ImportResult(3, 0, 0)
        main = Kindergarten.objects.get(code="MAIN0001")
        assert Kindergarten.objects.get(code="BRANCH01").branch_of == main
        assert Kindergarten.objects.get(code="BRANCH02").branch_of == kg_a
        assert Kindergarten.objects.get(code="BRANCH01").history.get().branch_of_id == main.pk

    def test_it_rejects_impossible_branches(self, bureau_official, kg_a, kg_b):
        kg_b.branch_of = kg_a
        kg_b.save()
        rows = [
            row({"幼儿园编码": "SELF0001", "所属总园": "SELF0001"}),
            row({"幼儿园编码": "NEW0002", "所属总园": "NOPE0001"}),
            row({"幼儿园编码": "NEW0003", "所属总园": kg_b.code}),
            row({"幼儿园编码": "NEW0004", "所属总园": "NEW0003"}),
            row({"幼儿园编码": kg_a.code, "幼儿园名称": kg_a.name, "所属总园": "NEW0005"}),
            row({"幼儿园编码": "NEW0005"}),
        ]
        errors = rejected_errors(file=xlsx(rows), user=bureau_official)
        assert [(r, c, m) for r, c, m in errors] == [
            (2, "所属总园", "幼儿园不能是自己的分园。"),
            (3, "所属总园", "找不到幼儿园“NOPE0001”。"),
            (4, "所属总园", "总园本身不能是分园。"),
            (5, "所属总园", "总园“NEW0003”本身是分园，不能再有分园。"),
            (6, "所属总园", "该园已有分园“KGB0001”，不能再设为分园。"),
        ]

    def test_it_checks_name_compliance_including_public_names_in_the_same_file(self, bureau_official, wangjing):
        rows = [
            row({"幼儿园编码": "PUB0001", "幼儿园名称": "朝阳区星河幼儿园"}),
            row(
                {
                    "幼儿园编码": "PRI0001",
                    "幼儿园名称": "星河幼儿园",
                    "举办者类型": "民办营利性",
                    "普惠性质": "非普惠性民办园",
                }
            ),
            row(
                {
                    "幼儿园编码": "PRI0002",
                    "幼儿园名称": "朝阳区启蒙双语幼儿园",
                    "举办者类型": "民办营利性",
                    "普惠性质": "非普惠性民办园",
                }
            ),
        ]
        import_kindergartens(file=xlsx(rows), user=bureau_official)
        verdicts = {k.code: (k.name_compliant, k.name_violations) for k in Kindergarten.objects.all()}
        assert verdicts["PUB0001"] == (True, [])
        assert verdicts["PRI0001"] == (False, [{"category": NamingRuleCategory.PUBLIC_SCHOOL_NAME, "word": "星河"}])
        assert verdicts["PRI0002"] == (False, [{"category": NamingRuleCategory.CURRICULUM_CLAIM, "word": "双语"}])

    def test_it_does_not_flag_a_public_kindergarten_turned_private_for_its_own_name(self, bureau_official, kg_a):
        cells = {"幼儿园编码": kg_a.code, "幼儿园名称": kg_a.name, "举办者类型": "民办非营利性"}
        cells["普惠性质"] = "非普惠性民办园"
        assert import_kindergartens(file=xlsx([row(cells)]), user=bureau_official) == ImportResult(0, 1, 0)
        kg_a.refresh_from_db()
        assert kg_a.name_compliant

    def test_it_reads_and_writes_in_a_bounded_number_of_queries(
        self, bureau_official, wangjing, django_assert_max_num_queries
    ):
        rows = [row({"幼儿园编码": f"NEW{n:04d}", "幼儿园名称": f"朝阳区第{n}新苗幼儿园"}) for n in range(80)]
        with django_assert_max_num_queries(15):
            assert import_kindergartens(file=xlsx(rows), user=bureau_official) == ImportResult(80, 0, 0)
        with django_assert_max_num_queries(10):
            assert import_kindergartens(file=xlsx(rows), user=bureau_official) == ImportResult(0, 0, 80)

    def test_it_rejects_files_that_are_not_xlsx_or_too_large(self, bureau_official):
        with pytest.raises(SpreadsheetError, match=r"只能导入 \.xlsx"):
            import_kindergartens(file=SimpleUploadedFile("名录.xls", b"\xd0\xcf\x11\xe0"), user=bureau_official)
        with pytest.raises(SpreadsheetError, match="不是有效的"):
            import_kindergartens(file=SimpleUploadedFile("名录.xlsx", b"code,name\n"), user=bureau_official)
        with override_settings(MAX_UPLOAD_BYTES=1024), pytest.raises(SpreadsheetError, match="文件过大"):
            import_kindergartens(file=xlsx([row()]), user=bureau_official)


class TestImportCommand:
    def write(self, tmp_path, rows, name="名录.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(rows).read())
        return path

    def test_it_imports_and_prints_the_counts(self, tmp_path, capsys, bureau_official, wangjing):
        path = self.write(tmp_path, [row()])
        call_command("import_kindergartens", str(path), "--user", bureau_official.username)
        assert "新增 1 所，更新 0 所，未变化 0 所" in capsys.readouterr().out
        assert Kindergarten.objects.get(code="NEW0001").history.get().history_user == bureau_official
        call_command("import_kindergartens", str(path))
        assert "新增 0 所，更新 0 所，未变化 1 所" in capsys.readouterr().out

    def test_it_prints_every_error_and_fails_on_a_bad_row(self, tmp_path, capsys, wangjing):
        path = self.write(tmp_path, [row(), row({"幼儿园编码": "NEW0002", "街道/地区": "火星", "核定学位数": -1})])
        with pytest.raises(CommandError, match="2 处错误"):
            call_command("import_kindergartens", str(path))
        err = capsys.readouterr().err
        assert "第 3 行\t街道/地区\t找不到街道/地区“火星”。" in err
        assert "第 3 行\t核定学位数\t" in err
        assert not Kindergarten.objects.exists()

    def test_it_refuses_non_xlsx_and_too_large_files(self, tmp_path, wangjing):
        csv = tmp_path / "名录.csv"
        csv.write_text("幼儿园编码\nNEW0001\n")
        with pytest.raises(CommandError, match=r"只能导入 \.xlsx"):
            call_command("import_kindergartens", str(csv))
        path = self.write(tmp_path, [row()])
        with override_settings(MAX_UPLOAD_BYTES=1024), pytest.raises(CommandError, match="文件过大"):
            call_command("import_kindergartens", str(path))
        with pytest.raises(CommandError, match="找不到文件"):
            call_command("import_kindergartens", str(tmp_path / "missing.xlsx"))

    def test_it_refuses_an_unknown_or_unauthorised_user(self, tmp_path, director_a):
        path = self.write(tmp_path, [row()])
        with pytest.raises(CommandError, match="找不到用户"):
            call_command("import_kindergartens", str(path), "--user", "nobody")
        with pytest.raises(CommandError, match="只有区教委"):
            call_command("import_kindergartens", str(path), "--user", director_a.username)


class TestImportPage:
    @pytest.mark.parametrize("persona", ["director_a", "wangjing_official", "inspector"])
    def test_it_is_forbidden_to_everyone_but_bureau_staff(self, client, personas, persona, wangjing):
        client = client_for(client, personas[persona])
        assert client.get(IMPORT_URL).status_code == 403
        assert client.post(IMPORT_URL, {"file": xlsx([row()])}).status_code == 403
        assert client.get(TEMPLATE_URL).status_code == 403
        assert not Kindergarten.objects.filter(code="NEW0001").exists()

    def test_it_sends_anonymous_users_to_login(self, client):
        assert client.get(IMPORT_URL).status_code == 302

    def test_it_shows_the_form_and_the_columns(self, client, bureau_official):
        response = client_for(client, bureau_official).get(IMPORT_URL)
        content = response.content.decode()
        assert response.status_code == 200
        assert 'enctype="multipart/form-data"' in content
        assert TEMPLATE_URL in content
        assert "普惠性民办园" in content and "幼儿园编码" in content

    def test_it_imports_an_upload_and_reports_the_counts(self, client, bureau_official, wangjing):
        client = client_for(client, bureau_official)
        response = client.post(IMPORT_URL, {"file": xlsx([row()])}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("kindergartens:kindergarten_list")
        assert "导入完成：新增 1 所，更新 0 所，未变化 0 所。" in response.content.decode()
        assert Kindergarten.objects.get(code="NEW0001").history.get().history_user == bureau_official

    def test_it_lists_row_column_and_reason_and_saves_nothing(self, client, bureau_official, wangjing):
        rows = [row(), row({"幼儿园编码": "NEW0002", "举办者类型": "民办非营利性"})]
        response = client_for(client, bureau_official).post(IMPORT_URL, {"file": xlsx(rows)})
        content = response.content.decode()
        assert response.status_code == 200
        assert '<th class="num">行</th><th>列</th><th>原因</th>' in content
        assert '<td class="num">3</td><td>普惠性质</td><td>民办幼儿园不能登记为“公办园”。</td>' in content
        assert "没有任何改变" in content
        assert not Kindergarten.objects.exists()

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (SimpleUploadedFile("名录.csv", "幼儿园编码\n".encode()), "只能导入 .xlsx 格式的 Excel 文件"),
            (SimpleUploadedFile("名录.xlsx", b"not a zip"), "文件内容不是有效的 .xlsx 表格"),
        ],
    )
    def test_it_explains_a_file_that_is_not_xlsx(self, client, bureau_official, upload, message):
        response = client_for(client, bureau_official).post(IMPORT_URL, {"file": upload})
        assert response.status_code == 200
        assert message in response.content.decode()

    @override_settings(MAX_UPLOAD_BYTES=1024)
    def test_it_explains_a_file_that_is_too_large(self, client, bureau_official, wangjing):
        response = client_for(client, bureau_official).post(IMPORT_URL, {"file": xlsx([row()])})
        assert "文件过大" in response.content.decode()
        assert not Kindergarten.objects.exists()

    def test_it_offers_the_import_in_the_menu_to_bureau_staff_only(self, client, bureau_official, director_a):
        home = reverse("kindergartens:kindergarten_list")
        assert IMPORT_URL in client_for(client, bureau_official).get(home).content.decode()
        assert IMPORT_URL not in client_for(client, director_a).get(home).content.decode()


class TestTemplateDownload:
    def test_it_has_the_headers_and_an_instructions_sheet(self, client, bureau_official):
        response = client_for(client, bureau_official).get(TEMPLATE_URL)
        assert response.status_code == 200
        assert "filename*=UTF-8''" in response["Content-Disposition"]
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == ["幼儿园名录", "说明"]
        assert sheet_rows(response.content) == [HEADERS]
        instructions = {r[0]: r for r in sheet_rows(response.content, "说明")[1:] if r[0]}
        assert instructions["举办者类型"][1] == "是"
        assert "民办非营利性" in instructions["举办者类型"][3]
        assert "望京" in instructions["街道/地区"][3]
        assert instructions["开设托班"][3] == "是、否"

    def test_an_import_of_the_filled_in_template_works(self, client, bureau_official, wangjing):
        workbook = openpyxl.load_workbook(io.BytesIO(client_for(client, bureau_official).get(TEMPLATE_URL).content))
        workbook.worksheets[0].append([row().get(h) for h in HEADERS])
        buffer = io.BytesIO()
        workbook.save(buffer)
        result = import_kindergartens(file=SimpleUploadedFile("t.xlsx", buffer.getvalue()), user=bureau_official)
        assert result == ImportResult(1, 0, 0)


class TestExport:
    @pytest.mark.parametrize(
        ("persona", "codes"),
        [
            ("bureau_official", {"KGA0001", "KGB0001", "KGC0001"}),
            ("wangjing_official", {"KGA0001", "KGB0001"}),
            ("director_a", {"KGA0001"}),
            ("director_b", {"KGB0001"}),
            ("inspector", {"KGB0001", "KGC0001"}),
        ],
    )
    def test_it_exports_only_what_the_user_may_see(self, client, personas, persona, codes):
        assert exported_codes(client_for(client, personas[persona]).get(EXPORT_URL)) == codes

    def test_it_applies_the_list_filters(self, client, bureau_official, varied_kindergartens, shuangjing):
        client = client_for(client, bureau_official)
        assert exported_codes(client.get(EXPORT_URL, {"subdistrict": shuangjing.pk})) == {"KGC0001", "KGD0001"}
        assert exported_codes(client.get(EXPORT_URL, {"name_compliant": "false"})) == {"KGE0001"}
        assert exported_codes(client.get(EXPORT_URL, {"q": "东湖湾"})) == {"KGF0001"}

    def test_a_filter_outside_the_scope_exports_nothing(self, client, director_a, kg_c):
        response = client_for(client, director_a).get(EXPORT_URL, {"subdistrict": kg_c.subdistrict_id})
        assert exported_codes(response) == set()

    def test_it_writes_labels_and_the_name_findings(self, client, bureau_official, varied_kindergartens):
        response = client_for(client, bureau_official).get(EXPORT_URL, {"q": "KGE0001"})
        assert response["Content-Disposition"].startswith('attachment; filename="kindergartens_')
        assert "filename*=UTF-8''%E5%B9%BC%E5%84%BF%E5%9B%AD%E5%90%8D%E5%BD%95_" in response["Content-Disposition"]
        header, values = sheet_rows(response.content)
        cells = dict(zip(header, values, strict=True))
        assert cells["举办者类型"] == "民办营利性"
        assert cells["办园许可状态"] == "无证园"
        assert cells["居住区配套园"] == "否"
        assert "含外语词：Sunny" in cells["名称问题"]

    def test_it_sends_anonymous_users_to_login(self, client, kg_a):
        assert client.get(EXPORT_URL).status_code == 302

    def test_the_list_and_the_report_link_to_the_export(self, client, bureau_official, kg_a):
        client = client_for(client, bureau_official)
        listing = client.get(reverse("kindergartens:kindergarten_list"), {"q": "望京"}).content.decode()
        assert f'href="{EXPORT_URL}?q=%E6%9C%9B%E4%BA%AC"' in listing
        report = client.get(reverse("kindergartens:name_compliance_report")).content.decode()
        assert f'href="{EXPORT_URL}?name_compliant=false"' in report
