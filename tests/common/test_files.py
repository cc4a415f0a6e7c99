"""Uploaded files: allowed kinds only, checked by extension AND content, within the size limit;
stored under random names; served with a scope-checked view's response; reports replaced whole."""

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import Http404

from common import files
from tests.inspections.factories import EXE_BYTES, PDF_BYTES, PNG_BYTES, office_bytes, upload


@pytest.fixture
def check_upload() -> Callable:
    return files.check_upload


JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("照片.jpg", JPEG_BYTES, "image/jpeg"),
        ("照片.JPEG", JPEG_BYTES, "image/jpeg"),
        ("照片.png", PNG_BYTES, "image/png"),
        ("报告.pdf", PDF_BYTES, "application/pdf"),
        ("方案.docx", office_bytes("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("台账.xlsx", office_bytes("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "汇报.pptx",
            office_bytes("pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
    ],
)
def test_it_accepts_photos_pdfs_and_office_documents(check_upload, name, content, content_type):
    assert check_upload(upload(name, content)).content_type == content_type


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("报告.pdf", EXE_BYTES, "content_mismatch"),  # a program renamed .pdf
        ("照片.jpg", PNG_BYTES, "content_mismatch"),  # content and extension disagree
        ("方案.docx", office_bytes("xlsx"), "content_mismatch"),  # a workbook renamed .docx
        ("方案.docx", b"PK\x03\x04not really a zip", "content_mismatch"),
        ("程序.exe", EXE_BYTES, "file_type"),
        ("页面.html", b"<html><script>alert(1)</script>", "file_type"),
        ("图.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "file_type"),
        ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "file_type"),
        ("无扩展名", PDF_BYTES, "file_type"),
        ("空.pdf", b"", "empty"),
    ],
)
def test_it_refuses_other_kinds_and_disguised_files(check_upload, name, content, code):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, content))
    assert error.value.code == code


def test_it_refuses_files_over_the_size_limit(check_upload, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    assert check_upload(upload("小.pdf", PDF_BYTES + b"\x00" * (1024 - len(PDF_BYTES))))
    with pytest.raises(ValidationError) as error:
        check_upload(upload("大.pdf", PDF_BYTES + b"\x00" * 1024))
    assert error.value.code == "too_large"
    assert "过大" in error.value.messages[0]


def test_it_refuses_an_archive_that_unpacks_to_far_more_than_its_size(check_upload):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<a/>" + " " * 5_000_000)
    with pytest.raises(ValidationError):
        check_upload(upload("炸弹.docx", buffer.getvalue()))


def test_it_names_stored_files_at_random_keeping_only_the_extension():
    first = files.random_name("safety/drills/7", "../../etc/消防演练.PDF")
    second = files.random_name("safety/drills/7", "../../etc/消防演练.PDF")
    assert first != second
    folder, name = first.rsplit("/", 1)
    assert folder == "safety/drills/7"
    assert name.endswith(".pdf") and len(name) == 32 + len(".pdf")
    assert ".." not in first and "消防" not in first


def test_it_stores_under_the_folder_the_record_names():
    class Certificate:
        def upload_folder(self) -> str:
            return "staff/certificates/3"

    assert files.upload_to(Certificate(), "证书.jpg").startswith("staff/certificates/3/")


class StorageField:
    """What a `FieldFile` needs of its model field: the storage it lives in."""

    def __init__(self, storage: FileSystemStorage) -> None:
        self.storage = storage


@pytest.fixture
def stored(tmp_path) -> Callable[[str, bytes], FieldFile]:
    """Saves bytes in a storage under tmp_path; returns them as a model's file field would."""
    storage = FileSystemStorage(location=tmp_path)

    def store(name: str, content: bytes) -> FieldFile:
        return FieldFile(None, StorageField(storage), storage.save(name, ContentFile(content)))

    return store


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_shows_photos_and_pdfs_in_the_browser_and_downloads_office_documents(stored):
    pdf = files.file_response(stored("a.pdf", PDF_BYTES), filename="检查记录.pdf", content_type="application/pdf")
    assert pdf["Content-Disposition"].startswith("inline") and content_of(pdf) == PDF_BYTES
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    docx = files.file_response(stored("b.docx", office_bytes("docx")), filename="方案.docx", content_type=docx_type)
    assert docx["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''%E6%96%B9%E6%A1%88.docx" in docx["Content-Disposition"]
    assert docx["Content-Type"] == docx_type
    assert pdf["Cache-Control"] == docx["Cache-Control"] == "private, no-store"


def test_it_answers_404_for_a_file_missing_from_the_disk(stored, tmp_path):
    gone = stored("gone.png", PNG_BYTES)
    (Path(tmp_path) / gone.name).unlink()
    with pytest.raises(Http404):
        files.file_response(gone, filename="照片.png", content_type="image/png")


def test_it_replaces_a_file_whole_and_leaves_nothing_beside_it(tmp_path):
    path = tmp_path / "2026-02-02" / "district.pdf"
    assert files.replace_file(path, b"first") == path
    files.replace_file(path, b"second")
    assert path.read_bytes() == b"second"
    assert [p.name for p in path.parent.iterdir()] == ["district.pdf"]
