"""Forms of the consultations screens: they validate input only; the services hold the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import field_in_language
from licensing.models import Application, Currency, GoodsLine, MLCategory, UNRegisterCategory
from licensing.models.consultation import ConsultationOutcome
from licensing.models.treaty import ExclusionListEntry, TreatyRefusalGround
from licensing.services.treaty import TreatyDetails
from parties.models import HOME_STATE, Bloc, Country, User

from .models.treaty import NotificationSubject, Programme, ProgrammeKind
from .selectors import DashboardFilters, StatusFilter

DATE = forms.DateInput(attrs={"type": "date"})
TREATY_OUTCOME_CHOICES = [
    (o.value, o.label)
    for o in (
        ConsultationOutcome.CONSENSUS,
        ConsultationOutcome.OBJECTION_WITHDRAWN,
        ConsultationOutcome.EXPORT_ABANDONED,
        ConsultationOutcome.EXPORT_MODIFIED,
    )
]


class _CountryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.iso2})"


class _CountryMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.iso2})"


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email or obj.username


class DashboardFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (StatusFilter.RUNNING, _("Objection period running")),
            (StatusFilter.CONSULTATION, _("In consultation")),
            (StatusFilter.DONE, _("Closed or no objection")),
            (StatusFilter.ALL, _("All")),
        ],
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("Both")), ("incoming", _("Incoming")), ("outgoing", _("Outgoing"))],
    )
    counterpart = forms.ChoiceField(label=_("Other party"), required=False)
    assignee = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody"))],
    )
    due = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("Any")), ("soon", _("Within 5 days")), ("overdue", _("Passed, not yet recorded"))],
    )

    def __init__(self, *args: Any, counterparts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["counterpart"]).choices = [("", _("Any")), *counterparts]

    def filters(self) -> DashboardFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DashboardFilters(
            status=data.get("status") or StatusFilter.RUNNING,
            direction=data.get("direction", ""),
            counterpart=data.get("counterpart", ""),
            assignee=data.get("assignee", ""),
            due=data.get("due", ""),
        )


class IncomingNotificationForm(forms.Form):
    counterpart = _CountryChoice(queryset=Country.objects.all(), label=_("Notifying party"))
    their_reference = forms.CharField(label=_("Their reference"), required=False, max_length=100)
    received_on = forms.DateField(
        label=_("Date of becoming aware"),
        widget=DATE,
        help_text=_("The objection deadline runs from this day: two calendar months (treaty emergency brake)."),
    )
    subject_kind = forms.ChoiceField(
        label=_("What is exported"),
        choices=[
            (NotificationSubject.PROGRAMME_PRODUCT.value, NotificationSubject.PROGRAMME_PRODUCT.label),
            (NotificationSubject.HOME_STATE_CONTENT.value, NotificationSubject.HOME_STATE_CONTENT.label),
        ],
    )
    subject = forms.CharField(label=_("Export project"), max_length=300)
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(), label=_("Programme or project"), required=False
    )
    third_country = _CountryChoice(queryset=Country.objects.all(), label=_("Third-country destination"))
    assignee = _PersonChoice(queryset=User.objects.none(), label=_("Assign to"), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officers  # type: ignore[attr-defined]
        self.fields["received_on"].initial = timezone.localdate()


class OutgoingNotificationForm(forms.Form):
    application = forms.ModelChoiceField(queryset=Application.objects.none(), label=_("Case"))
    # Only the treaty's parties can be notified (emergency brake): a short list of check boxes instead of a
    # ctrl-click list of every country. Whether each was a party on the day is still checked by the service.
    counterparts = _CountryMultiple(
        queryset=Country.objects.filter(memberships__bloc=Bloc.TREATY).exclude(iso2=HOME_STATE).distinct(),
        label=_("Parties notified"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One notification is recorded per party, each with its own window."),
    )
    received_on = forms.DateField(
        label=_("Date the parties received the notification"),
        widget=DATE,
        help_text=_("Their window to object runs two calendar months from this day."),
    )
    subject_kind = forms.ChoiceField(
        label=_("What is exported"),
        choices=[
            (NotificationSubject.OTHER_PARTY_CONTENT.value, NotificationSubject.OTHER_PARTY_CONTENT.label),
            (NotificationSubject.PROGRAMME_PRODUCT.value, NotificationSubject.PROGRAMME_PRODUCT.label),
        ],
    )
    subject = forms.CharField(label=_("Export project"), max_length=300)
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(), label=_("Programme or project"), required=False
    )
    third_country = _CountryChoice(queryset=Country.objects.all(), label=_("Third-country destination"))
    their_reference = forms.CharField(label=_("Our reference"), required=False, max_length=100)

    def __init__(self, *args: Any, applications: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications  # type: ignore[attr-defined]
        self.fields["received_on"].initial = timezone.localdate()


class VersionedForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class AssignForm(VersionedForm):
    assignee = _PersonChoice(queryset=User.objects.none(), label=_("Assign to"), required=False)

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officers  # type: ignore[attr-defined]


class CloseForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why is no objection made?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ObjectionProposeForm(VersionedForm):
    ground = forms.ChoiceField(
        label=_("Ground"), choices=TreatyRefusalGround.choices, widget=forms.RadioSelect, required=True
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 5}))


class ObjectionReceiveForm(ObjectionProposeForm):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)


class NoObjectionAnswerForm(VersionedForm):
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class ObjectionDecideForm(forms.Form):
    reason = forms.CharField(
        label=_("Comment (required when sending back)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    participants = forms.CharField(label=_("Participants"), widget=forms.Textarea(attrs={"rows": 2}))
    alternatives_proposed = forms.CharField(
        label=_("Alternatives proposed"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ConcludeForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=TREATY_OUTCOME_CHOICES, widget=forms.RadioSelect)
    outcome_text = forms.CharField(label=_("Solution reached"), widget=forms.Textarea(attrs={"rows": 4}))
    concluded_on = forms.DateField(label=_("Concluded on"), widget=DATE)


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeKind.choices)
    participants = _CountryMultiple(queryset=Country.objects.all(), label=_("Participating parties"))
    recognised_on = forms.DateField(
        label=_("Recognition date"),
        widget=DATE,
        required=False,
        help_text=_("Industrial cooperation projects: the day the last party concerned recognised the project."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    application_references = forms.CharField(
        label=_("Related applications"),
        required=False,
        max_length=2000,
        help_text=_("Application references, separated by commas or spaces."),
    )

    def clean_application_references(self) -> list[str]:
        text = self.cleaned_data["application_references"]
        return [ref for ref in text.replace(",", " ").split() if ref]


UNCHANGED = ""
NO_UN_CATEGORY = "none"


class _GoodsLineChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        made_in = obj.production_country_id or HOME_STATE
        un = obj.un_register_category_id or _("none")
        return _("%(position)s. %(description)s (%(ml)s; UN Register: %(un)s; made in: %(country)s)") % {
            "position": obj.position,
            "description": obj.description,
            "ml": obj.ml_category_id,
            "un": un,
            "country": made_in,
        }


class GoodsRatingForm(forms.Form):
    """An officer corrects one goods line's rating: its Military List category, and its UN Register category and
    country of production when they are wrong (licensing.services.corrections). Those two stay as they are unless
    the officer chooses a value."""

    line = _GoodsLineChoice(queryset=GoodsLine.objects.none(), label=_("Goods line"))
    ml_category = forms.ModelChoiceField(queryset=MLCategory.objects.all(), label=_("Military List category"))
    ml_sub_item = forms.CharField(label=_("Sub-item"), max_length=100, required=False, help_text=_("e.g. ML4.a"))
    un_register_category = forms.ChoiceField(label=_("UN Register category"), required=False)
    production_country = forms.ChoiceField(label=_("Country of production"), required=False)
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, lines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines  # type: ignore[attr-defined]
        un_field = cast(forms.ChoiceField, self.fields["un_register_category"])
        un_field.choices = [
            (UNCHANGED, _("Unchanged")),
            (NO_UN_CATEGORY, _("None of these")),
            *((c.code, f"{c.code} – {c.title}") for c in UNRegisterCategory.objects.order_by("code")),
        ]
        country_field = cast(forms.ChoiceField, self.fields["production_country"])
        countries = Country.objects.order_by(field_in_language(en="name_en", nl="name_nl"))
        country_field.choices = [(UNCHANGED, _("Unchanged")), *((c.iso2, c.name) for c in countries)]

    def origin_kwargs(self) -> dict[str, str | None]:
        """The service's arguments: None leaves a value as it is, "" clears the UN Register category."""
        un = self.cleaned_data["un_register_category"]
        country = self.cleaned_data["production_country"]
        return {
            "un_register_category_id": None if un == UNCHANGED else ("" if un == NO_UN_CATEGORY else un),
            "production_country_id": country or None,
        }


class TreatyTransferForm(forms.Form):
    """The exporter's treaty details for a draft (consultations.views.exporter)."""

    final_system_name = forms.CharField(label=_("Final system"), max_length=200)
    final_system_identifier = forms.CharField(
        label=_("System identifier"),
        max_length=100,
        help_text=_(
            "The type designation, programme or contract number of the final system. Every transfer of Dutch "
            "components into the same system counts towards the share."
        ),
    )
    final_system_ml_category = forms.ModelChoiceField(
        queryset=MLCategory.objects.all(), label=_("Military List category of the final system")
    )
    integrator_name = forms.CharField(label=_("Integrating company"), max_length=300)
    integrator_country = _CountryChoice(queryset=Country.objects.exclude(pk=HOME_STATE), label=_("Integrator's state"))
    end_destinations = _CountryMultiple(
        queryset=Country.objects.all(), label=_("Intended end destinations of the final system"), required=False
    )
    system_currency = forms.ChoiceField(label=_("Currency of the system values"), choices=Currency.choices)
    gross_total_value = forms.DecimalField(
        label=_("Total value of the final system"),
        max_digits=16,
        decimal_places=2,
        help_text=_("Including any maintenance, spare parts, training and repairs: they are deducted below."),
    )
    maintenance_value = forms.DecimalField(label=_("of which maintenance"), max_digits=16, decimal_places=2, initial=0)
    spares_value = forms.DecimalField(label=_("of which spare parts"), max_digits=16, decimal_places=2, initial=0)
    training_value = forms.DecimalField(label=_("of which training"), max_digits=16, decimal_places=2, initial=0)
    repairs_value = forms.DecimalField(label=_("of which repairs"), max_digits=16, decimal_places=2, initial=0)
    exclusion_entry = forms.ModelChoiceField(
        queryset=ExclusionListEntry.objects.none(),
        label=_("Is the item on the treaty's exclusion list?"),
        required=False,
        empty_label=_("No"),
    )
    follow_on_of = forms.ModelChoiceField(
        queryset=Application.objects.none(),
        label=_("Follow-on maintenance, spares, training or repair for an earlier de minimis case"),
        required=False,
        empty_label=_("No"),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, exclusions: Any, follow_on: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exclusion_entry"].queryset = exclusions  # type: ignore[attr-defined]
        self.fields["follow_on_of"].queryset = follow_on  # type: ignore[attr-defined]

    def details(self) -> TreatyDetails:
        data = self.cleaned_data
        return TreatyDetails(
            final_system_name=data["final_system_name"],
            final_system_identifier=data["final_system_identifier"],
            final_system_ml_category_id=data["final_system_ml_category"].pk,
            integrator_name=data["integrator_name"],
            integrator_country_id=data["integrator_country"].pk,
            end_destination_ids=tuple(c.pk for c in data["end_destinations"]),
            system_currency=data["system_currency"],
            gross_total_value=data["gross_total_value"],
            maintenance_value=data["maintenance_value"],
            spares_value=data["spares_value"],
            training_value=data["training_value"],
            repairs_value=data["repairs_value"],
            exclusion_entry_id=data["exclusion_entry"].pk if data["exclusion_entry"] else None,
            follow_on_of_id=data["follow_on_of"].pk if data["follow_on_of"] else None,
        )


class TreatyCorrectionForm(TreatyTransferForm):
    """The officer's correction of a submitted transfer's details, with the reason (kept in the history)."""

    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))
