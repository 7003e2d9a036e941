from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Criterion, MLCategory, UNRegisterCategory
from .models.parliament import ParliamentInformationRule
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


@admin.register(ParliamentInformationRule)
class ParliamentInformationRuleAdmin(SimpleHistoryAdmin):
    """The accelerated-information rule is data (licensing/parliament_rules.py): threshold, blocs, equivalent
    states, complete systems, the letter's term, and its period."""

    list_display = ["name", "value_threshold_eur", "outside_blocs", "equivalent_states", "valid_from", "valid_until"]
