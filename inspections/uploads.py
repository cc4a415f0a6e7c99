"""Checks an uploaded evidence file before it is stored: photos, PDF and Office documents only.

A file is accepted only when its extension AND its content agree on one of the allowed kinds
(a program renamed to .pdf is refused, and so is a PNG named .jpg), and when it is not larger
than `settings.MAX_UPLOAD_BYTES`. Office documents are zip archives: the archive must open and
hold the parts that make it a Word, Excel or PowerPoint file.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extensions: tuple[str, ...]
    magic: bytes | None = None  # leading bytes for plain formats
    zip_part: str | None = None  # a member that an OOXML archive of this kind must contain


KINDS = (
    FileKind("JPEG", "image/jpeg", (".jpg", ".jpeg"), magic=b"\xff\xd8\xff"),
    FileKind("PNG", "image/png", (".png",), magic=b"\x89PNG\r\n\x1a\n"),
    FileKind("PDF", "application/pdf", (".pdf",), magic=b"%PDF-"),
    FileKind(
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
        zip_part="word/document.xml",
    ),
    FileKind(
        "Excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
        zip_part="xl/workbook.xml",
    ),
    FileKind(
        "PowerPoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (".pptx",),
        zip_part="ppt/presentation.xml",
    ),
)
ALLOWED_EXTENSIONS = tuple(ext for kind in KINDS for ext in kind.extensions)
ACCEPT_ATTRIBUTE = ",".join(ALLOWED_EXTENSIONS)
# A zip whose members unpack to more than this many times its size is not an office document.
MAX_UNPACKED_RATIO = 100


def kind_for_extension(name: str) -> FileKind | None:
    suffix = PurePosixPath(name).suffix.lower()
    return next((k for k in KINDS if suffix in k.extensions), None)


def _content_matches(kind: FileKind, file: UploadedFile, size: int) -> bool:
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if kind.magic is not None:
        return head.startswith(kind.magic)
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)
    return "[Content_Types].xml" in names and kind.zip_part in names and unpacked <= max(size, 1) * MAX_UNPACKED_RATIO


def check_upload(file: UploadedFile) -> FileKind:
    """The kind of an acceptable file; raises `ValidationError` with a message for the user."""
    name = PurePosixPath(str(file.name or "")).name
    kind = kind_for_extension(name)
    if kind is None:
        raise ValidationError(
            _("不支持“%(name)s”的文件类型。只能上传照片（JPG、PNG）、PDF 或 Office 文档（DOCX、XLSX、PPTX）。")
            % {"name": name or _("未命名文件")},
            code="file_type",
        )
    size = file.size or 0
    if size == 0:
        raise ValidationError(_("文件“%(name)s”是空的。") % {"name": name}, code="empty")
    if size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("文件“%(name)s”过大（%(size)s），上限为 %(limit)s。")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)},
            code="too_large",
        )
    if not _content_matches(kind, file, size):
        raise ValidationError(
            _("文件“%(name)s”的内容不是有效的 %(kind)s 文件（可能是改了扩展名的其他文件），已拒绝。")
            % {"name": name, "kind": kind.label},
            code="content_mismatch",
        )
    return kind
