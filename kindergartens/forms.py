from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.form_scoping import scope_choices
from accounts.permissions import Act, may

from .choices import DayType
from .models import Kindergarten, Subdistrict


class KindergartenForm(forms.ModelForm):
    """The registry form. For a director, only the fields they keep current are editable."""

    class Meta:
        model = Kindergarten
        fields = [
            "code",
            "name",
            "subdistrict",
            "address",
            "phone",
            "principal",
            "latitude",
            "longitude",
            "sponsor_type",
            "sponsor_name",
            "inclusive_status",
            "recognition_date",
            "recognition_expiry",
            "licence_status",
            "is_village_centre",
            "branch_of",
            "day_type",
            "approved_capacity",
            "international_seats",
            "has_toddler_classes",
            "is_estate_kindergarten",
            "estate_name",
            "estate_stage",
            "estate_planning_gap",
            "estate_construction_gap",
            "estate_handover_gap",
            "estate_use_gap",
            "entrusted_management_expiry",
        ]
        widgets = {
            "recognition_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "recognition_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "entrusted_management_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    # Shown as fieldsets on the page, in this order.
    SECTIONS = (
        (_("基本信息"), ("code", "name", "subdistrict", "address", "phone", "principal", "latitude", "longitude")),
        (
            _("举办与普惠"),
            (
                "sponsor_type",
                "sponsor_name",
                "inclusive_status",
                "recognition_date",
                "recognition_expiry",
                "licence_status",
                "is_village_centre",
                "branch_of",
            ),
        ),
        (_("学位"), ("approved_capacity", "international_seats", "has_toddler_classes", "day_type")),
        (
            _("居住区配套园"),
            (
                "is_estate_kindergarten",
                "estate_name",
                "estate_stage",
                "estate_planning_gap",
                "estate_construction_gap",
                "estate_handover_gap",
                "estate_use_gap",
                "entrusted_management_expiry",
            ),
        ),
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = Subdistrict.objects.all()
        branch_candidates = Kindergarten.objects.filter(branch_of__isnull=True)
        if self.instance.pk:
            branch_candidates = branch_candidates.exclude(pk=self.instance.pk)
        self.fields["branch_of"].queryset = branch_candidates.only("id", "name", "code")
        # 全日制 unless said otherwise: a form (or a test, a script) that leaves it out keeps the default.
        self.fields["day_type"].required = False
        if user is not None and not may(user, Act.MANAGE):
            for name, field in self.fields.items():
                if name not in Kindergarten.DIRECTOR_EDITABLE_FIELDS:
                    field.disabled = True
        if user is not None:
            # A director's branch_of lists their own main kindergarten, not 400 others.
            scope_choices(self, user)

    def clean_day_type(self) -> str:
        return self.cleaned_data.get("day_type") or self.instance.day_type or DayType.FULL_DAY

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]
