"""The portal's FilterSet base: every list page's filters read the same way.

A choice filter's empty choice reads 全部 (not "---------"), a yes/no filter offers 全部/是/否
(not 未知/是/否), and a date filter is an `<input type="date">` holding yyyy-mm-dd. The defaults
are applied to declared and generated filters alike when a FilterSet class is built, so a new
FilterSet gets them by inheriting `PortalFilterSet`; a filter that names its own `empty_label` or
`widget` keeps it. (No app is imported here.)
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.conf import settings as filter_settings

ALL = _("全部")


def yes_no_choices() -> list[tuple[str, str]]:
    """The choices of a yes/no filter; the values are those `NullBooleanField` reads."""
    return [("", ALL), ("true", _("是")), ("false", _("否"))]


class YesNoSelect(forms.Select):
    """全部 / 是 / 否 for a BooleanFilter (Django's NullBooleanSelect says 未知 for "all")."""

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, choices=yes_no_choices())


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always yyyy-mm-dd, whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def apply_portal_defaults(filter_: django_filters.Filter) -> None:
    """Give one filter the portal's empty label or widget, unless it chose its own."""
    extra = filter_.extra
    if isinstance(filter_, django_filters.BooleanFilter):
        extra.setdefault("widget", YesNoSelect())
    elif isinstance(filter_, django_filters.DateFilter):
        extra.setdefault("widget", DateInput())
    elif isinstance(filter_, django_filters.ChoiceFilter):  # ModelChoiceFilter too
        # ModelChoiceFilter always passes django-filter's default ("---------") explicitly.
        if extra.get("empty_label", filter_settings.EMPTY_CHOICE_LABEL) == filter_settings.EMPTY_CHOICE_LABEL:
            extra["empty_label"] = ALL
    else:
        return
    filter_.__dict__.pop("_field", None)  # a form field built before the change is rebuilt


class PortalFilterSet(django_filters.FilterSet):
    """The base of every FilterSet of the portal (pages, exports and the API)."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for filter_ in filters.values():
            apply_portal_defaults(filter_)
        return filters
