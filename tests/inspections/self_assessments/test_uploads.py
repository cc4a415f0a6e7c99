"""Evidence files: allowed kinds only, checked by extension AND content, within the size limit."""

import pytest
from django.core.exceptions import ValidationError

from inspections.uploads import check_upload

from ..factories import EXE_BYTES, PDF_BYTES, PNG_BYTES, office_bytes, upload

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
def test_it_accepts_photos_pdfs_and_office_documents(name, content, content_type):
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
def test_it_refuses_other_kinds_and_disguised_files(name, content, code):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, content))
    assert error.value.code == code


def test_it_refuses_files_over_the_size_limit(settings):
    settings.MAX_UPLOAD_BYTES = 1024
    assert check_upload(upload("小.pdf", PDF_BYTES + b"\x00" * (1024 - len(PDF_BYTES))))
    with pytest.raises(ValidationError) as error:
        check_upload(upload("大.pdf", PDF_BYTES + b"\x00" * 1024))
    assert error.value.code == "too_large"
    assert "过大" in error.value.messages[0]


def test_it_refuses_an_archive_that_unpacks_to_far_more_than_its_size():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<a/>" + " " * 5_000_000)
    with pytest.raises(ValidationError):
        check_upload(upload("炸弹.docx", buffer.getvalue()))


@pytest.mark.django_db
def test_it_stores_files_under_media_root_with_random_names(kg_a, director_a, bureau_official, media_root):
    from inspections import services

    from ..factories import assign, cycle

    evaluation_cycle = cycle(by=bureau_official)
    assign(evaluation_cycle, kg_a)
    assessment = services.self_assessment_start(kindergarten=kg_a, cycle=evaluation_cycle, user=director_a)
    attachment = services.self_assessment_attachment_add(
        assessment=assessment, user=director_a, file=upload("../../etc/passwd.pdf", PDF_BYTES)
    )
    assert attachment.original_name == "passwd.pdf"
    assert attachment.file.path.startswith(str(media_root))
    assert "passwd" not in attachment.file.name and ".." not in attachment.file.name
    assert attachment.file.name.startswith(f"inspections/self-assessments/{kg_a.pk}/")
    with pytest.raises(ValidationError):
        services.self_assessment_attachment_add(assessment=assessment, user=director_a, file=upload("x.pdf", EXE_BYTES))
