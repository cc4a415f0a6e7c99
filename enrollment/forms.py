"""Forms for the enrolment report, school years and population (uploads use the shared spreadsheet form)."""

from __future__ import annotations

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from .choices import PopulationBasis
from .models import SchoolClass, SchoolYear
from .services import AGES, POPULATION_AGES, ClassRow, Report


class SchoolClassForm(forms.ModelForm):
    """One class row of the report; the model's own fields and validators, no instance saved."""

    class Meta:
        model = SchoolClass
        fields = ["class_type", "name", "approved_size", "enrolled"]
        widgets = {
            "name": forms.TextInput(attrs={"size": 10}),
            "approved_size": forms.NumberInput(attrs={"min": 0, "class": "num-input"}),
            "enrolled": forms.NumberInput(attrs={"min": 0, "class": "num-input enrolled"}),
        }

    def validate_unique(self) -> None:
        """Names are checked across the whole report by the formset and the service."""

    def row(self) -> ClassRow:
        data = self.cleaned_data
        return ClassRow(data["class_type"], data["name"], data["approved_size"], data["enrolled"])


class BaseSchoolClassFormSet(BaseFormSet):
    """The report's classes, started from the working copy or the official figures (`initial`)."""

    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            name = (form.cleaned_data.get("name") or "").strip()
            if name in seen:
                form.add_error("name", _("班级名称重复。"))
            seen.add(name)

    def rows(self) -> list[ClassRow]:
        """The classes to keep: filled-in forms not marked for deletion."""
        return [
            form.row()
            for i, form in enumerate(self.forms)
            if form.cleaned_data
            and not self._should_delete_form(form)
            and (i < self.initial_form_count() or form.has_changed())
        ]


SchoolClassFormSet = formset_factory(SchoolClassForm, formset=BaseSchoolClassFormSet, extra=1, can_delete=True)


def class_initial(report: Report | None) -> list[dict]:
    """The formset's `initial` for a report's classes."""
    if report is None:
        return []
    return [
        {"class_type": c.class_type, "name": c.name, "approved_size": c.approved_size, "enrolled": c.enrolled}
        for c in report.classes
    ]


def age_field_name(age: int) -> str:
    return f"age_{age}"


class ChildrenByAgeForm(forms.Form):
    """Children enrolled by age (2–6), their total, and international seats used."""

    international_seats_used = forms.IntegerField(label=_("国际化学位使用数"), min_value=0, initial=0)
    # Shown read-only; it carries the message when ages and classes do not add up.
    total = forms.IntegerField(label=_("分年龄合计"), required=False, disabled=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for age in AGES:
            self.fields[age_field_name(age)] = forms.IntegerField(
                label=_("%(age)s岁") % {"age": age},
                min_value=0,
                initial=0,
                widget=forms.NumberInput(attrs={"class": "num-input age", "min": 0}),
            )
        self.order_fields([*(age_field_name(age) for age in AGES), "total", "international_seats_used"])

    def age_fields(self) -> list[forms.BoundField]:
        return [self[age_field_name(age)] for age in AGES]

    def children_by_age(self) -> dict[int, int]:
        return {age: self.cleaned_data[age_field_name(age)] for age in AGES}


class SchoolYearForm(forms.ModelForm):
    class Meta:
        model = SchoolYear
        fields = ["start_year", "submission_due", "remind_days_before", "remind_days_after"]
        widgets = {"submission_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"start_year": _("如 2026 表示 2026–2027 学年")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["start_year"].disabled = True
        # Left empty, the reminders keep their current (or default) offsets.
        for name in ("remind_days_before", "remind_days_after"):
            self.fields[name].required = False


class PopulationForm(forms.Form):
    """One sub-district's resident children by age (0–6) for one calendar year."""

    basis = forms.ChoiceField(label=_("人口口径"), choices=PopulationBasis.choices, initial=PopulationBasis.RESIDENT)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for age in POPULATION_AGES:
            self.fields[age_field_name(age)] = forms.IntegerField(
                label=_("%(age)s岁") % {"age": age}, min_value=0, widget=forms.NumberInput(attrs={"min": 0})
            )

    def age_fields(self) -> list[forms.BoundField]:
        return [self[age_field_name(age)] for age in POPULATION_AGES]

    def children_by_age(self) -> dict[int, int]:
        return {age: self.cleaned_data[age_field_name(age)] for age in POPULATION_AGES}
