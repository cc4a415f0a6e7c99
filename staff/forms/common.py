"""Pieces the staff forms share: the date widget and the ID number input that never echoes."""

from __future__ import annotations

from django import forms

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IdNumberInput(forms.TextInput):
    """A national ID number is typed, never shown back: a form returned with errors asks for it
    again rather than put the whole number into the page."""

    def __init__(self, attrs=None) -> None:
        defaults = {"autocomplete": "off", "spellcheck": "false", "maxlength": "22", "autocapitalize": "characters"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value) -> None:
        return None
