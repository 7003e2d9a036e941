from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EquatedHoliday


@admin.register(EquatedHoliday)
class EquatedHolidayAdmin(SimpleHistoryAdmin):
    list_display = ["day", "description", "decree"]
