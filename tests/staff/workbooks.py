"""Building staff workbooks for the import tests, the browser journey and the benchmark."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from staff.spreadsheets import SHEET_TITLE, staff_columns


def staff_row(kindergarten_code: str, name: str, number: str, **cells) -> dict[str, object]:
    """A row by header: a full-time contract teacher with a teacher qualification, unless `cells` say otherwise."""
    row = {
        "幼儿园编码": kindergarten_code,
        "姓名": name,
        "身份证号码": number,
        "性别": "女",
        "出生日期": "1992-05-01",
        "最高学历": "本科",
        "职称": "二级教师",
        "岗位": "专任教师",
        "编制情况": "合同制",
        "专职": "是",
        "入职日期": "2020-09-01",
        "离职日期": None,
        "教师资格证编号": f"T{number[-8:]}",
        "教师资格证发证日期": "2015-07-01",
    }
    row.update(cells)
    return row


def staff_workbook(rows: list[dict[str, object]], name: str = "教职工.xlsx") -> SimpleUploadedFile:
    headers = [c.header for c in staff_columns() if not c.read_only]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
