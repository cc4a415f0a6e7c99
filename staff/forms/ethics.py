"""Ethics forms: a warning or violation (its choices limited to what the user enforces on), a self-check."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Act, kindergartens_for
from common.filters import DateInput
from inspections.models import ConductCase

from ..choices import EthicsKind, EthicsSeverity
from ..models import Person, StaffMember


class EthicsRecordForm(forms.Form):
    kindergarten = forms.ModelChoiceField(label=_("幼儿园"), queryset=None)
    person = forms.ModelChoiceField(label=_("当事人"), queryset=None, help_text=_("该园在职或曾任职的教职工"))
    kind = forms.ChoiceField(label=_("类型"), choices=EthicsKind.choices)
    severity = forms.ChoiceField(label=_("严重程度"), choices=EthicsSeverity.choices)
    occurred_on = forms.DateField(label=_("发生日期"), widget=DateInput())
    description = forms.CharField(label=_("事实经过"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    outcome = forms.CharField(label=_("处理结果"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    decided_on = forms.DateField(label=_("处理日期"), widget=DateInput(), required=False)
    conduct_case = forms.ModelChoiceField(label=_("关联案件"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kindergartens = kindergartens_for(user, Act.ENFORCE).order_by("code")
        self.fields["kindergarten"].queryset = kindergartens
        posted = StaffMember.objects.filter(kindergarten__in=kindergartens).values("person")
        self.fields["person"].queryset = Person.objects.filter(pk__in=posted).order_by("name")
        self.fields["conduct_case"].queryset = ConductCase.objects.restrict(user).filter(kindergarten__in=kindergartens)
        self.fields["occurred_on"].initial = timezone.localdate()


class SelfCheckForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    completed_on = forms.DateField(label=_("完成日期"), widget=DateInput())
    staff_checked = forms.IntegerField(label=_("参加自查人数"), min_value=0)
    findings = forms.CharField(label=_("发现的问题"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    actions = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
