"""common.form_renderer writes a <select> exactly as Django's widget templates do."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from common.form_renderer import FormRenderer

CHOICES = [
    ("", "---------"),
    (1, "一"),
    ("a&b", _("公办园")),
    (_("分组"), [("x", '<b>"x"</b>'), ("y", mark_safe("<i>y</i>"))]),
    (2025, 2025),
]


class Form(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    flagged = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"class": "c", "data-x": 'q"', "disabled": True, "hidden": False})
    )


@pytest.mark.parametrize("data", [None, {"one": "a&b", "many": ["x", "2025"], "flagged": "1"}, {"one": "zz"}])
@pytest.mark.parametrize("name", ["one", "many", "flagged"])
def test_a_select_is_written_as_the_templates_write_it(data, name):
    fast, templates = Form(data, renderer=FormRenderer()), Form(data, renderer=DjangoTemplates())
    assert str(fast[name]) == str(templates[name])
    assert "<option" in str(fast[name])


def test_other_widgets_still_use_the_templates():
    class Other(forms.Form):
        radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
        text = forms.CharField()

    assert str(Other(renderer=FormRenderer())) == str(Other(renderer=DjangoTemplates()))


def test_it_is_the_projects_renderer(settings):
    assert settings.FORM_RENDERER == "common.form_renderer.FormRenderer"
