from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Kindergarten, NamingRule, Subdistrict
from .naming import refresh_name_compliance


@admin.register(Subdistrict)
class SubdistrictAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "code")


@admin.register(Kindergarten)
class KindergartenAdmin(SimpleHistoryAdmin):
    list_display = (
        "code",
        "name",
        "subdistrict",
        "sponsor_type",
        "inclusive_status",
        "licence_status",
        "name_compliant",
    )
    list_filter = ("subdistrict", "sponsor_type", "inclusive_status", "licence_status", "name_compliant")
    search_fields = ("code", "name", "address", "principal")
    autocomplete_fields = ("branch_of",)
    list_select_related = ("subdistrict",)


@admin.register(NamingRule)
class NamingRuleAdmin(SimpleHistoryAdmin):
    list_display = ("word", "category", "private_only", "is_active", "source")
    list_filter = ("category", "private_only", "is_active")
    search_fields = ("word",)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        refresh_name_compliance()  # a changed rule changes verdicts across the registry

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        refresh_name_compliance()
