from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Country, Embargo, Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ["iso2", "name_en", "name_nl"]
    search_fields = ["iso2", "name_en", "name_nl"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["country", "bloc", "since", "until", "basis", "confidence"]
    list_filter = ["bloc", "basis"]
    search_fields = ["country__name_en"]


@admin.register(Embargo)
class EmbargoAdmin(SimpleHistoryAdmin):
    list_display = ["target", "legal_act", "since", "until", "partial", "needs_verification"]
    list_filter = ["needs_verification", "partial"]
    search_fields = ["target", "legal_act"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kvk_number", "status"]
    list_filter = ["status"]
    search_fields = ["name", "kvk_number"]


@admin.register(User)
class RegisterUserAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "email", "organisation", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Organisation", {"fields": ("organisation", "is_org_admin")}))  # type: ignore[misc]
