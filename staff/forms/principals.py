"""Forms of principals' development: a stage change and a catalogue course."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.filters import DateInput

from ..choices import CareerStage
from ..models import Course


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("发展阶段"), choices=CareerStage.choices)
    since = forms.DateField(label=_("起始日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["title", "hours", "credits", "level", "mode", "starts_on", "ends_on", "organiser", "for_principals"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
