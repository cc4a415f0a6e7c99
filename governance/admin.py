"""The admin site (administrators only): the credit rule versions the bureau publishes and changes
without a release, and the credit records with their events, appeals and exits (read for support)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CreditAppeal, CreditEvent, CreditExit, CreditRecord, CreditRule, TransferPlanLine


@admin.register(CreditRule)
class CreditRuleAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "valid_from",
        "valid_to",
        "base_score",
        "window_days",
        "a_min",
        "b_min",
        "c_min",
        "uncertain",
    )


class CreditEventInline(admin.TabularInline):
    model = CreditEvent
    extra = 0
    fields = ("kind", "occurred_on", "detail", "status", "source_key")
    readonly_fields = fields
    can_delete = False


@admin.register(CreditRecord)
class CreditRecordAdmin(SimpleHistoryAdmin):
    list_display = ("kindergarten", "level", "score", "sponsor_level", "principal_level", "computed_on")
    list_filter = ("level", "sponsor_level", "principal_level")
    search_fields = ("kindergarten__name", "kindergarten__code", "sponsor_name", "principal_name")
    list_select_related = ("kindergarten",)
    raw_id_fields = ("kindergarten",)
    readonly_fields = (
        "sponsor_name",  # copied from the registry by every refresh: edit them there
        "principal_name",
        "score",
        "level",
        "sponsor_score",
        "sponsor_level",
        "principal_score",
        "principal_level",
        "rule",
        "computed_on",
    )
    inlines = [CreditEventInline]


@admin.register(CreditAppeal)
class CreditAppealAdmin(SimpleHistoryAdmin):
    list_display = ("event", "filed_on", "status", "decided_on")
    list_filter = ("status",)
    raw_id_fields = ("event", "filed_by", "decided_by")


class TransferPlanLineInline(admin.TabularInline):
    model = TransferPlanLine
    extra = 0
    raw_id_fields = ("receiving",)


@admin.register(CreditExit)
class CreditExitAdmin(SimpleHistoryAdmin):
    list_display = ("record", "kind", "decided_on", "effective_on", "children_to_place")
    raw_id_fields = ("record", "decided_by")
    inlines = [TransferPlanLineInline]
