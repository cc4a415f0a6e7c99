"""A version of the safe-campus rules: its values, with the guard bands as lines of text."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import SafetyRuleSet
from ..services import RULE_FIELDS, start_error
from .common import DATE_WIDGET

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class GuardBandsField(forms.CharField):
    """`[[1000, 3], [1500, 4]]` as one line per band: "1000 3" (people up to, guards)."""

    widget = forms.Textarea(attrs={"rows": 4, "class": "guard-bands"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(f"{people} {guards}" for people, guards in value)
        return value

    def to_python(self, value: Any) -> list[list[int]]:
        text = super().to_python(value)
        bands: list[list[int]] = []
        errors: list[ValidationError] = []
        lines = [line.strip() for line in text.splitlines()]
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            found = _NUMBER.findall(line)
            if len(found) != 2 or not all(n.isdigit() and int(n) > 0 for n in found):
                errors.append(
                    ValidationError(
                        _("第 %(n)d 行“%(line)s”应为两个正整数：人数上限和保安员人数，如“1000 3”。"),
                        params={"n": number, "line": line},
                    )
                )
                continue
            bands.append([int(found[0]), int(found[1])])
        if errors:
            raise ValidationError(errors)
        return bands


class SafetyRuleSetForm(forms.Form):
    """The values of a version (its end date is set by the next version, never typed in)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(SafetyRuleSet, fields=["valid_from", *RULE_FIELDS])
        fields["valid_from"].widget = DATE_WIDGET
        fields["valid_from"].help_text = _("新版本从这一天起生效（不早于今天），上一版本在前一天失效。")
        model_field = SafetyRuleSet._meta.get_field("guard_bands")
        fields["guard_bands"] = GuardBandsField(
            label=model_field.verbose_name,
            help_text=_(
                "每行一档：人数上限（教职工 + 幼儿）和保安员人数，用空格分隔，按人数升序，如“1000 3”；"
                "超过最后一档的人数按下面两项递增。"
            ),
        )
        self.fields.update(fields)

    def clean_valid_from(self):
        # Checked here as well as in the service, so that it shows beside the other fields' errors.
        valid_from = self.cleaned_data["valid_from"]
        error = start_error(valid_from)
        if error:
            raise ValidationError(error)
        return valid_from

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's errors under the fields they name (the others above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)
