"""What the inspections forms share: the date widget, multiple-file upload, and the per-point ratings form
that self-assessments and external evaluations both build on."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.files import ACCEPT_ATTRIBUTE, check_upload

from ..models import AssessmentPoint, RatingLevel
from ..services import RatingInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by `common.files.check_upload`."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        errors: list[ValidationError] = []
        for file in cleaned:
            try:
                check_upload(file)
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return cleaned


def level_field(point_id: int) -> str:
    return f"level_{point_id}"


def note_field(point_id: int) -> str:
    return f"note_{point_id}"


def files_field(point_id: int) -> str:
    return f"files_{point_id}"


class PointRatingsForm(forms.Form):
    """Per framework point a rating of its scale (radio buttons), a note and files, plus files
    for the record as a whole. Subclasses name the note and say where the initial values are."""

    note_key = staticmethod(note_field)
    note_label = _("佐证说明")
    note_max_length = 1000
    files_label = _("上传佐证材料")
    rating_input: type = RatingInput

    def __init__(self, *args, points: Iterable[AssessmentPoint], initial: dict, **kwargs) -> None:
        self.points = list(points)
        super().__init__(*args, initial=initial, **kwargs)
        levels: dict[int, list[tuple[int, str]]] = {}
        for level in RatingLevel.objects.filter(scale__in={p.rating_scale_id for p in self.points}).order_by("value"):
            levels.setdefault(level.scale_id, []).append((level.pk, f"{level.value} · {level.label}"))
        for point in self.points:
            self.fields[level_field(point.pk)] = forms.TypedChoiceField(
                label=_("评分"),
                choices=levels.get(point.rating_scale_id, []),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[self.note_key(point.pk)] = forms.CharField(
                label=self.note_label,
                required=False,
                max_length=self.note_max_length,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[files_field(point.pk)] = MultipleFileField(label=self.files_label)

    def rating_inputs(self) -> dict:
        return {
            point.pk: self.rating_input(
                self.cleaned_data.get(level_field(point.pk)), self.cleaned_data.get(self.note_key(point.pk)) or ""
            )
            for point in self.points
        }

    def uploads(self) -> list[tuple[AssessmentPoint | None, object]]:
        found = [(None, f) for f in self.cleaned_data.get("general_files") or []]
        for point in self.points:
            found += [(point, f) for f in self.cleaned_data.get(files_field(point.pk)) or []]
        return found

    def add_point_error(self, point_id: int, message: str) -> None:
        self.add_error(level_field(point_id), message)

    def error_field(self, key: str) -> str:
        """The field a service's error key belongs under: `point_<id>` under that point's rating."""
        point_id = key.removeprefix("point_")
        return level_field(int(point_id)) if point_id.isdecimal() else key


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form, the one way every page shows it: under the field its key
    names (translated by the form's `error_field` when it has one), anything else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    field_for = getattr(form, "error_field", None)
    for key, errors in error.error_dict.items():
        name = field_for(key) if field_for is not None else key
        form.add_error(name if name in form.fields else None, errors)
