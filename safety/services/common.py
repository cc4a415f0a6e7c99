"""What the safety services share: whose name the history records, validated saves, stored photos."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.files.uploadedfile import UploadedFile
from django.db import models

from common.files import check_upload
from common.saving import validated_save


def store_file(row: models.Model, file: UploadedFile, user) -> models.Model:
    """Checks the upload (`common.files.check_upload`), stores it under a random name, saves the row;
    a row that cannot be saved takes its file with it."""
    kind = check_upload(file)
    row.original_name = PurePosixPath(file.name).name[:255]
    row.content_type = kind.content_type
    row.size = file.size
    row.uploaded_by = user if getattr(user, "pk", None) else None
    row.file.save(row.original_name, file, save=False)
    stored = row.file.name
    try:
        validated_save(row, user)
    except Exception:
        row.file.storage.delete(stored)
        raise
    return row
