"""The yearly pay filing: the filing's figures and a grid of roles × establishment status."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import Establishment, StaffRole
from ..models import PayFiling

GRID = [(role, est) for role in StaffRole.values for est in Establishment.values]


class PayFilingForm(forms.ModelForm):
    """The filing, plus ``n_<role>_<establishment>`` (people) and ``pay_<role>_<establishment>``
    (average monthly pay) for every cell of the grid; a cell left empty is not filed."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    class Meta:
        model = PayFiling
        fields = [
            "insurance_required",
            "insurance_covered",
            "housing_required",
            "housing_covered",
            "leave_entitled",
            "leave_taken",
            "rotation_arranged",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, lines=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year - 1
        else:
            self.fields["year"].initial = self.instance.year
        known = {(line.role, line.establishment): line for line in lines}
        for role, est in GRID:
            line = known.get((role, est))
            self.fields[f"n_{role}_{est}"] = forms.IntegerField(
                label=_("人数"), min_value=1, required=False, initial=line.headcount if line else None
            )
            self.fields[f"pay_{role}_{est}"] = forms.DecimalField(
                label=_("月平均工资（元）"),
                min_value=0,
                max_digits=9,
                decimal_places=2,
                required=False,
                initial=line.average_monthly_pay if line else None,
            )

    def grid_rows(self) -> list[tuple[str, list[tuple[str, forms.BoundField, forms.BoundField]]]]:
        """For the template: per role, per establishment status, the two bound fields."""
        labels = dict(Establishment.choices)
        return [
            (
                label,
                [(labels[est], self[f"n_{role}_{est}"], self[f"pay_{role}_{est}"]) for est in Establishment.values],
            )
            for role, label in StaffRole.choices
        ]

    def clean(self):
        cleaned = super().clean()
        lines = []
        for role, est in GRID:
            people, pay = cleaned.get(f"n_{role}_{est}"), cleaned.get(f"pay_{role}_{est}")
            if people is None and pay is None:
                continue
            if people is None:
                self.add_error(f"n_{role}_{est}", _("填写了工资，请同时填写人数。"))
            elif pay is None:
                self.add_error(f"pay_{role}_{est}", _("填写了人数，请同时填写月平均工资。"))
            else:
                lines.append({"role": role, "establishment": est, "headcount": people, "average_monthly_pay": pay})
        if not lines and not self.errors:
            raise forms.ValidationError(_("请至少填写一个岗位的人数和月平均工资。"))
        cleaned["lines"] = lines
        return cleaned
