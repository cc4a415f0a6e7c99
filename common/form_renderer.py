"""The form renderer: Django's, except that a <select> is written in Python.

Django renders each <option> through its own template include; on the list pages' filter forms
(the sub-district choices, the users to assign) that was a good part of the page's CPU under load
(docs/benchmarks.md, "Throughput, cheaper pages"). ``select_html`` writes the same markup as
django/forms/widgets/select.html and select_option.html (tests/common/test_form_renderer.py
compares them); any option with another template goes through the templates as before.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: False is left out, True is a bare name.
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(f"{value}")}"'
        for name, value in attrs.items()
        if value is not False
    )


def _text(value) -> str:
    return conditional_escape(localize(value))  # what {{ value }} writes


def select_html(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            value = conditional_escape(f"{option['value']}")
            # (the option template ends in a newline, which its include keeps)
            parts.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            html = select_html(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
