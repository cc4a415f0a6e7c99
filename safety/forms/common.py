"""Pieces the safety forms share: the date widget and the photo input (the phone's camera)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from common.files import check_upload

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHOTO_ACCEPT = "image/jpeg,image/png,.jpg,.jpeg,.png,.pdf"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input (the phone's camera offers itself); each checked by `common.files`."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": PHOTO_ACCEPT, "capture": "environment"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(PhotosField, self).clean(f, initial) for f in files]
        errors = []
        for file in cleaned:
            try:
                check_upload(file)
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return cleaned
