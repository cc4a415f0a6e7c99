"""The admin site (administrators only): the policy data (standards, credit requirements, the plan
period, pay benchmarks), people, posts, certificates, the reveal log.

ID numbers appear masked here too; the whole number is shown only through the recorded reveal.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Certificate,
    CreditRequirement,
    IdReveal,
    PayBenchmark,
    Person,
    PlanPeriod,
    StaffingStandard,
    StaffMember,
)


@admin.register(StaffingStandard)
class StaffingStandardAdmin(SimpleHistoryAdmin):
    list_display = ("name", "valid_from", "valid_to", "full_day_staff_ratio_high", "children_per_fulltime_teacher")


@admin.register(CreditRequirement)
class CreditRequirementAdmin(SimpleHistoryAdmin):
    list_display = ("stage", "credits", "valid_from", "valid_to", "source")
    list_filter = ("stage",)


@admin.register(PlanPeriod)
class PlanPeriodAdmin(SimpleHistoryAdmin):
    list_display = ("name", "starts_on", "ends_on")


@admin.register(PayBenchmark)
class PayBenchmarkAdmin(SimpleHistoryAdmin):
    list_display = ("year", "role", "source")
    list_filter = ("year", "role")


class CertificateInline(admin.TabularInline):
    model = Certificate
    extra = 0


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("name", "masked_id", "gender", "education", "professional_title")
    search_fields = ("name", "id_last4")
    inlines = [CertificateInline]

    @admin.display(description=_("身份证号码"))
    def masked_id(self, person: Person) -> str:
        return person.masked_id


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    list_display = ("person", "kindergarten", "role", "establishment", "full_time", "hired_on", "left_on")
    list_filter = ("role", "establishment", "full_time")
    search_fields = ("person__name", "kindergarten__name", "kindergarten__code")
    list_select_related = ("person", "kindergarten")
    raw_id_fields = ("person", "kindergarten")


@admin.register(IdReveal)
class IdRevealAdmin(admin.ModelAdmin):
    list_display = ("revealed_at", "revealed_by", "person", "reason")
    list_select_related = ("revealed_by", "person")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
