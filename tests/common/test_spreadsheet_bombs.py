"""Zip bombs and oversized workbooks: refused from the archive's directory before anything is
inflated, or while the rows are read, with a clear message, whatever MAX_UPLOAD_BYTES is."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.spreadsheets import SpreadsheetError, TextColumn, get_sheet, opened_workbook, read_rows

MB = 1024 * 1024


def workbook(rows: int = 3, columns: int = 2) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([f"列{c}" for c in range(1, columns + 1)])
    for r in range(rows):
        sheet.append([f"值{r}-{c}" for c in range(1, columns + 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bomb(unpacked_mb: int = 400) -> bytes:
    """A real workbook whose sheet is padded, inside valid XML, with `unpacked_mb` MB of spaces:
    a few hundred kilobytes packed. The padding is streamed, never held whole."""
    source = zipfile.ZipFile(io.BytesIO(workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, data)
                continue
            head, tail = data.split(b"<sheetData>", 1)
            with out.open(info.filename, "w", force_zip64=True) as part:
                part.write(head + b"<sheetData>")
                chunk = b" " * MB
                for _ in range(unpacked_mb):
                    part.write(chunk)
                part.write(tail)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb_400mb() -> bytes:
    return bomb(400)


@pytest.fixture
def nothing_inflated(monkeypatch):
    """Opening a part of the archive, or openpyxl loading it, is a failure of the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the archive was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def upload(content: bytes, name: str = "bomb.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_400_mb_bomb_is_refused_from_the_directory_before_unpacking(bomb_400mb, nothing_inflated):
    assert len(bomb_400mb) < 2 * MB
    with pytest.raises(SpreadsheetError, match="不像是正常的 Excel 表格"), opened_workbook(upload(bomb_400mb)):
        pass


def test_the_bounds_do_not_depend_on_the_upload_limit(bomb_400mb, nothing_inflated, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * MB  # an administrator raised the file limit to 1 GB
    with pytest.raises(SpreadsheetError, match="倍"), opened_workbook(upload(bomb_400mb)):
        pass


@pytest.fixture
def ordinary_workbook() -> bytes:
    return workbook(rows=50)


def test_the_unpacked_size_is_bounded_even_at_an_ordinary_ratio(ordinary_workbook, nothing_inflated, settings):
    settings.SPREADSHEET_MAX_UNPACKED_BYTES = 1000
    with pytest.raises(SpreadsheetError, match="解压后过大"), opened_workbook(upload(ordinary_workbook)):
        pass


def test_an_ordinary_workbook_opens(settings):
    with opened_workbook(upload(workbook(rows=20))) as book:
        rows = read_rows(get_sheet(book), [TextColumn(header="列1", field="a"), TextColumn(header="列2", field="b")])
    assert len(rows) == 20


@pytest.mark.parametrize(
    ("setting", "value", "shape", "message"),
    [
        ("SPREADSHEET_MAX_ROWS", 10, {"rows": 20}, "行数超过 10 行"),
        ("SPREADSHEET_MAX_COLUMNS", 3, {"columns": 5}, "列数超过 3 列"),
        ("SPREADSHEET_MAX_SECONDS", -1, {"rows": 5}, "读取文件超时"),
    ],
)
def test_rows_columns_and_time_are_bounded(settings, setting, value, shape, message):
    setattr(settings, setting, value)
    columns = [TextColumn(header="列1", field="a")]
    with pytest.raises(SpreadsheetError, match=message), opened_workbook(upload(workbook(**shape))) as book:
        read_rows(get_sheet(book), columns)


def test_the_import_page_explains_a_bomb(client, bureau_official, bomb_400mb):
    from django.urls import reverse

    from ..conftest import client_for

    response = client_for(client, bureau_official).post(
        reverse("kindergartens:kindergarten_import"), {"file": upload(bomb_400mb)}
    )
    assert response.status_code == 200
    assert "不像是正常的 Excel 表格" in response.content.decode()
