"""Forms of teachers' training and titles: choices limited to the kindergartens the user keeps."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Act, kindergartens_for, may
from common.filters import DateInput
from kindergartens.models import Kindergarten

from ..choices import ProfessionalTitle, TitleApplicationStatus, TrainingLevel, TrainingMode
from ..models import Person, StaffMember


def kept_kindergartens(user):
    """The kindergartens whose staff records the user keeps: their own (director) or all (bureau)."""
    return Kindergarten.objects.all() if may(user, Act.MANAGE) else kindergartens_for(user, Act.FILL)


class _KeptForm(forms.Form):
    kindergarten = forms.ModelChoiceField(label=_("幼儿园"), queryset=None)
    person = forms.ModelChoiceField(label=_("人员"), queryset=None, help_text=_("该园在职教职工"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kindergartens = kept_kindergartens(user).order_by("code")
        self.fields["kindergarten"].queryset = kindergartens
        posted = StaffMember.objects.current().filter(kindergarten__in=kindergartens).values("person")
        self.fields["person"].queryset = Person.objects.filter(pk__in=posted).order_by("name")
        if kindergartens.count() == 1:
            self.fields["kindergarten"].initial = kindergartens.get()


class TrainingRecordForm(_KeptForm):
    title = forms.CharField(label=_("培训内容"), max_length=200)
    attended_on = forms.DateField(label=_("培训日期"), widget=DateInput())
    hours = forms.DecimalField(label=_("学时"), min_value=0, max_digits=5, decimal_places=1)
    level = forms.ChoiceField(label=_("培训层级"), choices=TrainingLevel.choices)
    mode = forms.ChoiceField(label=_("培训方式"), choices=TrainingMode.choices)


TITLES = [
    (v, label) for v, label in ProfessionalTitle.choices if v not in (ProfessionalTitle.NONE, ProfessionalTitle.OTHER)
]


class TitleApplicationForm(_KeptForm):
    title = forms.ChoiceField(label=_("申报职称"), choices=TITLES)
    applied_on = forms.DateField(label=_("申报日期"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class TitleDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("评审结果"),
        choices=[(TitleApplicationStatus.APPROVED, _("通过")), (TitleApplicationStatus.REFUSED, _("不通过"))],
    )
    decided_on = forms.DateField(label=_("评审日期"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
