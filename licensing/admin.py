from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Criterion, MLCategory, UNRegisterCategory


@admin.register(MLCategory)
class MLCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "short_title", "confirmed"]


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "short_title", "deny_type"]


@admin.register(UNRegisterCategory)
class UNRegisterCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title"]
