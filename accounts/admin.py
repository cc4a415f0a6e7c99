from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import SecurityEvent, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "subdistrict", "kindergarten", "is_active")
    list_filter = ("role", "is_active", "subdistrict")
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("kindergarten",)
    filter_horizontal = ("assigned_kindergartens", "groups", "user_permissions")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("角色与范围"), {"fields": ("role", "subdistrict", "kindergarten", "assigned_kindergartens")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("角色与范围"), {"fields": ("role", "subdistrict", "kindergarten")}),
    )


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the portal, never edited by hand."""

    list_display = ("at", "kind", "username", "ip_address", "path")
    list_filter = ("kind", "at")
    search_fields = ("username", "ip_address", "path", "detail")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
