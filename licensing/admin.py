from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Criterion, MLCategory, UNRegisterCategory
from .models.reference import ExchangeRate, ProcessingTarget


@admin.register(MLCategory)
class MLCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "short_title", "confirmed"]


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "short_title", "deny_type"]


@admin.register(UNRegisterCategory)
class UNRegisterCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    list_display = ["currency", "valid_on", "eur_per_unit", "source"]
    list_filter = ["currency"]


@admin.register(ProcessingTarget)
class ProcessingTargetAdmin(SimpleHistoryAdmin):
    list_display = ["licence_type", "working_days", "source"]
