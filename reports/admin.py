"""The admin site (administrators only): the scorecard's method versions, whose weights are data."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ScorecardMethod


@admin.register(ScorecardMethod)
class ScorecardMethodAdmin(SimpleHistoryAdmin):
    list_display = ("name", "valid_from", "valid_to")
