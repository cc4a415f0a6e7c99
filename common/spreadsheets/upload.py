"""Taking an uploaded workbook in: the form field, the file checks, opening it read-only."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

import openpyxl
from django import forms
from django.conf import settings
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from .errors import SpreadsheetError

# An upload (Django's UploadedFile) or a file opened by a management command.
Upload = File | BinaryIO

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An xlsx is a zip archive; unpacked it is typically 5-10x its size. A much larger ratio means a
# zip bomb, which read-only openpyxl would still have to inflate.
MAX_UNPACKED_RATIO = 40

# Bounds that hold whatever MAX_UPLOAD_BYTES is set to (each can be set in the settings under the
# same name prefixed with SPREADSHEET_): they are checked from the archive's directory before one
# byte is inflated (ratio, unpacked bytes), then while the rows are read (rows, columns, time).
LIMITS = {
    # A part of the archive (a sheet, the shared strings) may unpack to this many times its size;
    # real workbooks stay under 20. Parts under a megabyte unpacked are not worth a check.
    "MAX_COMPRESSION_RATIO": 100,
    "MAX_UNPACKED_BYTES": 100 * 1024 * 1024,
    "MAX_ROWS": 100_000,  # per sheet
    "MAX_COLUMNS": 200,
    "MAX_SECONDS": 30,  # reading the whole workbook
}
_RATIO_FLOOR = 1024 * 1024


def limit(name: str) -> int:
    return getattr(settings, f"SPREADSHEET_{name}", LIMITS[name])


def check_archive(archive: zipfile.ZipFile, packed_size: int) -> None:
    """Refuses a zip bomb from the archive's directory, before anything is inflated. The sizes in the
    directory bind the reader: `zipfile` stops a part at its recorded size (and fails its CRC)."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > _RATIO_FLOOR and info.file_size > limit("MAX_COMPRESSION_RATIO") * max(
            info.compress_size, 1
        ):
            raise SpreadsheetError(
                _("文件内容异常：其中“%(part)s”解压后是压缩大小的 %(ratio)d 倍，不像是正常的 Excel 表格，已拒绝读取。")
                % {"part": info.filename, "ratio": info.file_size // max(info.compress_size, 1)}
            )
    if total > _RATIO_FLOOR and total > limit("MAX_COMPRESSION_RATIO") * max(packed_size, 1):
        raise SpreadsheetError(
            _("文件内容异常：解压后是文件大小的 %(ratio)d 倍，不像是正常的 Excel 表格，已拒绝读取。")
            % {"ratio": total // max(packed_size, 1)}
        )
    ceiling = min(limit("MAX_UNPACKED_BYTES"), settings.MAX_UPLOAD_BYTES * MAX_UNPACKED_RATIO)
    if total > ceiling:
        raise SpreadsheetError(
            _("文件解压后过大（%(size)s，上限 %(limit)s），不像是正常的 Excel 表格，已拒绝读取。")
            % {"size": filesizeformat(total), "limit": filesizeformat(ceiling)}
        )


def _size_of(file: Upload) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size


def check_upload(file: Upload) -> None:
    """Raises `SpreadsheetError` unless `file` looks like an .xlsx within the size limit."""
    name = str(getattr(file, "name", "") or "")
    if not name.lower().endswith(".xlsx"):
        raise SpreadsheetError(
            _("只能导入 .xlsx 格式的 Excel 文件（“%(name)s”不是）。旧版 .xls 或 .csv 文件请在 Excel 中另存为 .xlsx。")
            % {"name": name.rsplit("/", 1)[-1] or _("未命名文件")}
        )
    size = _size_of(file)
    if size == 0:
        raise SpreadsheetError(_("文件是空的。"))
    if size > settings.MAX_UPLOAD_BYTES:
        raise SpreadsheetError(
            _("文件过大（%(size)s），上限为 %(limit)s。请拆分后分批导入。")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        )
    file.seek(0)
    if not zipfile.is_zipfile(file):
        raise SpreadsheetError(
            _("文件内容不是有效的 .xlsx 表格（可能是改了扩展名的其他文件）。请在 Excel 中另存为 .xlsx 后再导入。")
        )
    file.seek(0)


@contextmanager
def opened_workbook(file: Upload) -> Iterator[Workbook]:
    """The checked upload, opened read-only (fast, low memory); closed when the block ends."""
    check_upload(file)
    started = time.monotonic()
    try:
        with zipfile.ZipFile(file) as archive:
            check_archive(archive, _size_of(file))
        file.seek(0)
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
        # `read_rows` stops a workbook that takes longer than this to read.
        workbook.read_deadline = started + limit("MAX_SECONDS")
    except SpreadsheetError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign zip
        raise SpreadsheetError(_("无法读取该文件：它不是有效的 .xlsx 表格，或文件已损坏。")) from error
    try:
        yield workbook
    finally:
        workbook.close()


def get_sheet(workbook: Workbook, title: str | None = None) -> Worksheet | ReadOnlyWorksheet:
    """The sheet called `title`, or the first sheet when no title is asked for."""
    if title is None:
        return workbook.worksheets[0]
    if title not in workbook.sheetnames:
        raise SpreadsheetError(_("文件中缺少工作表“%(title)s”。") % {"title": title})
    return workbook[title]


class SpreadsheetUploadForm(forms.Form):
    """The upload form of every import page; the import service checks the file itself."""

    file = forms.FileField(
        label=gettext_lazy("Excel 文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_CONTENT_TYPE}),
        help_text=gettext_lazy(".xlsx 格式"),
    )
