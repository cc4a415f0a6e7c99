from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import User


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
