"""Uploaded files: checked on the way in, stored under random names, served only through a view.

What every app that keeps people's files (evidence, certificates, minutes …) needs:

- `check_upload(file)`: photos, PDF and Office documents only. A file is accepted only when its
  extension AND its content agree on one of the allowed kinds (a program renamed to .pdf is
  refused, and so is a PNG named .jpg), and when it is not larger than
  `settings.MAX_UPLOAD_BYTES`. Office documents are zip archives: the archive must open and hold
  the parts that make it a Word, Excel or PowerPoint file. `ACCEPT_ATTRIBUTE` tells the browser.
- `random_name(folder, filename)` / `upload_to`: where a `FileField` stores a file — a random
  name under the owner's folder in `MEDIA_ROOT`, which lies outside the web root (nothing serves
  it directly), so the uploader's file name never reaches the disk.
- `file_response(file, filename=…, content_type=…)`: serves a stored file, after the calling
  view has checked that the user may see the record it belongs to; a missing file is a 404.
- `replace_file(path, content)`: writes a generated file (a nightly report) so that a reader
  never sees it half-written.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# --- checking an upload -------------------------------------------------------------------


@dataclass(frozen=True)
class FileKind:
    """One kind of file people may upload: how it is named and how its content starts."""

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
    """The allowed kind a file name claims by its extension, if any."""
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


# --- storing and serving ------------------------------------------------------------------


class HasUploadFolder(Protocol):
    def upload_folder(self) -> str:
        """The folder under MEDIA_ROOT that holds this record's files, e.g. "safety/drills/12"."""
        ...


def random_name(folder: str, filename: str) -> str:
    """A random name under `folder`, keeping only the (lower-cased) extension of `filename`."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def upload_to(instance: HasUploadFolder, filename: str) -> str:
    """`FileField(upload_to=upload_to)` for a model that says where its files go (`upload_folder`)."""
    return random_name(instance.upload_folder(), filename)


def is_inline(content_type: str) -> bool:
    """Photos and PDFs open in the browser; everything else (Office documents) downloads."""
    return content_type.startswith("image/") or content_type == "application/pdf"


def file_response(file: File, *, filename: str, content_type: str) -> FileResponse:
    """A stored file (e.g. a `FieldFile`) served under the name its uploader gave it.

    Call it only after checking that the user may see the record the file belongs to. Never
    cached: the file is as private as that record.
    """
    try:
        handle = file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("文件不存在。")) from missing
    response = FileResponse(
        handle,
        as_attachment=not is_inline(content_type),
        filename=filename,
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def replace_file(path: Path, content: bytes) -> Path:
    """Writes `content` to `path` (creating its folder), replacing any file there in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write beside and rename, so a download never sees a half-written file.
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(content)
    partial.replace(path)
    return path
