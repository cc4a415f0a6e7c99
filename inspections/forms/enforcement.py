"""Forms of the enforcement pages. They collect input; `services.enforcement` decides and writes."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Act, Reach, kindergartens_for, reach
from kindergartens.models import Kindergarten, Subdistrict

from ..choices import PenaltyKind, UnlicensedCaseStatus
from ..models import ConductCase, RectificationOrder, UnlicensedCase
from ..services.enforcement import UNLICENSED_TRANSITIONS
from .common import DATE_WIDGET


def not_in_future(value: datetime.date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))


class PastDateField(forms.DateField):
    """A date that has happened: today or before (the services check it again)."""

    default_validators = [not_in_future]

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", DATE_WIDGET)
        kwargs.setdefault("initial", timezone.localdate)
        super().__init__(**kwargs)


class _PastDatesMixin:
    """Model forms: the listed date fields may not lie in the future."""

    past_dates: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.past_dates:
            if name in self.fields:
                self.fields[name].validators.append(not_in_future)


def _kindergarten_label(kindergarten: Kindergarten) -> str:
    return f"{kindergarten.name}（{kindergarten.code}）"


def enforcing_subdistricts(user):
    """The sub-districts a case may be filed in: all for who enforces district-wide, else those
    of the kindergartens the user enforces on (an inspector's assigned ones)."""
    subdistricts = Subdistrict.objects.order_by("code")
    if reach(user, Act.ENFORCE) == Reach.DISTRICT:
        return subdistricts
    return subdistricts.filter(pk__in=kindergartens_for(user, Act.ENFORCE).values("subdistrict"))


class _KindergartenChoiceMixin:
    """The kindergarten field offers only those the user may act on, labelled with their codes."""

    def limit_kindergartens(self, user, *, required: bool) -> None:
        field = self.fields["kindergarten"]
        field.queryset = kindergartens_for(user, Act.ENFORCE).select_related("subdistrict").order_by("code")
        field.label_from_instance = _kindergarten_label
        field.required = required


class RectificationOrderForm(_PastDatesMixin, _KindergartenChoiceMixin, forms.ModelForm):
    past_dates = ("issued_on",)

    class Meta:
        model = RectificationOrder
        fields = ["kindergarten", "reason", "issued_on", "deadline", "description"]
        widgets = {
            "issued_on": DATE_WIDGET,
            "deadline": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_kindergartens(user, required=True)
        if self.instance.pk:
            # The order belongs to its kindergarten; a wrong one is corrected by a new order.
            self.fields["kindergarten"].disabled = True
        else:
            self.fields["issued_on"].initial = timezone.localdate()
        self.fields["deadline"].help_text = _("逾期未整改的，可在期限过后登记处罚")


class FollowUpForm(forms.Form):
    visited_on = PastDateField(label=_("复查日期"))
    rectified = forms.BooleanField(label=_("已整改到位"), required=False, help_text=_("勾选后整改通知即以复查日期办结"))
    note = forms.CharField(label=_("复查情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RectifyForm(forms.Form):
    rectified_on = PastDateField(label=_("整改完成日期"))


class PenaltyForm(forms.Form):
    penalty_kind = forms.ChoiceField(label=_("处罚种类"), choices=[("", "---------"), *PenaltyKind.choices])
    penalised_on = PastDateField(label=_("处罚日期"), help_text=_("须晚于整改期限"))
    penalty_note = forms.CharField(label=_("处罚说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class UnlicensedCaseForm(_PastDatesMixin, _KindergartenChoiceMixin, forms.ModelForm):
    past_dates = ("discovered_on",)

    class Meta:
        model = UnlicensedCase
        fields = ["subdistrict", "name", "address", "operator", "children", "discovered_on", "kindergarten", "note"]
        widgets = {"discovered_on": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = enforcing_subdistricts(user)
        # Only who acts district-wide may register a case without naming a kindergarten.
        district_wide = reach(user, Act.ENFORCE) == Reach.DISTRICT
        self.limit_kindergartens(user, required=not district_wide)
        if not district_wide:
            self.fields["kindergarten"].help_text = _("督学只能登记分配给自己的幼儿园")


class UnlicensedTransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("处置"))
    on = PastDateField(label=_("日期"))
    note = forms.CharField(label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case: UnlicensedCase, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(UnlicensedCaseStatus.choices)
        allowed = sorted(UNLICENSED_TRANSITIONS.get(case.status, ()), key=list(labels).index)
        self.fields["status"].choices = [(code, labels[code]) for code in allowed]


class ConductCaseForm(_PastDatesMixin, _KindergartenChoiceMixin, forms.ModelForm):
    past_dates = ("reported_on",)

    class Meta:
        model = ConductCase
        fields = ["kind", "subdistrict", "institution_name", "kindergarten", "reported_on", "description", "outcome"]
        widgets = {
            "reported_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = enforcing_subdistricts(user)
        self.limit_kindergartens(user, required=False)
        self.fields["institution_name"].help_text = _("培训机构违规开展学前教育的案件必填")
        self.fields["kindergarten"].help_text = _("体罚和师德案件必选；涉事人员写在案情中")
        if self.instance.pk:
            self.fields["outcome"].label = _("处理情况")
            self.fields["outcome"].help_text = _("结案前可随时记录处理进展")
        else:
            del self.fields["outcome"]


class ConductCloseForm(forms.Form):
    closed_on = PastDateField(label=_("结案日期"))
    outcome = forms.CharField(label=_("处理结果"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
