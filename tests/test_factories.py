"""Every concrete model of our apps has a factory, and what it builds passes the model's own validation."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps

from tests import factories as f

APPS = ("core", "parties", "licensing", "consultations", "general_licences", "reports", "audit")
# Audit rows are written only by audit.services.record; sequences only by licensing.services.numbering.
EXCLUDED = {"audit.AuditChainHead", "audit.AuditEvent", "licensing.ReferenceSequence"}

MODEL_FACTORIES: dict[str, Any] = {
    "core.DeadlineReminder": f.DeadlineReminderFactory,
    "core.Event": f.EventFactory,
    "core.WebhookEndpoint": f.WebhookEndpointFactory,
    "core.WebhookDelivery": f.WebhookDeliveryFactory,
    "core.WebhookAttempt": f.WebhookAttemptFactory,
    "parties.ExternalIdentity": f.ExternalIdentityFactory,
    "parties.StaffRoleMapping": f.StaffRoleMappingFactory,
    "parties.SignInPolicy": f.SignInPolicyFactory,
    "parties.RoleGrant": f.RoleGrantFactory,
    "licensing.EndUserCertificate": f.EndUserCertificateFactory,
    "licensing.CertificateUse": f.CertificateUseFactory,
    "licensing.Product": f.ProductFactory,
    "licensing.LicenceAmendment": f.LicenceAmendmentFactory,
    "licensing.LicenceVersion": f.LicenceVersionFactory,
    "licensing.IntegrationCertificateRequest": f.IntegrationCertificateRequestFactory,
    "licensing.SavedParty": f.SavedPartyFactory,
    "licensing.DelayNotice": f.DelayNoticeFactory,
    "licensing.ParliamentInformationRule": f.ParliamentInformationRuleFactory,
    "licensing.ParliamentInformation": f.ParliamentInformationFactory,
    "licensing.DecisionObjection": f.DecisionObjectionFactory,
    "licensing.Consultation": f.ConsultationFactory,
    "licensing.DenialNotification": f.DenialNotificationFactory,
    "licensing.DenialMatch": f.DenialMatchFactory,
    "licensing.ChangeDenialDismissal": f.ChangeDenialDismissalFactory,
    "core.Notification": f.NotificationFactory,
    "core.OutboxMessage": f.OutboxMessageFactory,
    "core.EquatedHoliday": f.EquatedHolidayFactory,
    "parties.Country": f.CountryFactory,
    "parties.Membership": f.MembershipFactory,
    "parties.Embargo": f.EmbargoFactory,
    "parties.Organisation": f.OrganisationFactory,
    "parties.User": f.UserFactory,
    "licensing.MLCategory": f.MLCategoryFactory,
    "licensing.Criterion": f.CriterionFactory,
    "licensing.UNRegisterCategory": f.UNRegisterCategoryFactory,
    "licensing.ExchangeRate": f.ExchangeRateFactory,
    "licensing.ProcessingTarget": f.ProcessingTargetFactory,
    "licensing.Application": f.ApplicationFactory,
    "licensing.GoodsLine": f.GoodsLineFactory,
    "licensing.ApplicationParty": f.PartyFactory,
    "licensing.Document": f.DocumentFactory,
    "licensing.InformationRequest": f.InformationRequestFactory,
    "licensing.CaseNote": f.CaseNoteFactory,
    "licensing.Decision": f.DecisionFactory,
    "licensing.CheckRun": f.CheckRunFactory,
    "licensing.CheckResult": f.CheckResultFactory,
    "licensing.NationalPolicyRule": f.NationalPolicyRuleFactory,
    "licensing.WatchListEntry": f.WatchListEntryFactory,
    "licensing.ScreeningHit": f.ScreeningHitFactory,
    "licensing.CriterionAssessment": f.CriterionAssessmentFactory,
    "licensing.AdviceRequest": f.AdviceRequestFactory,
    "licensing.Advice": f.AdviceFactory,
    "licensing.RefusalLetter": f.RefusalLetterFactory,
    "licensing.TreatyParameter": f.TreatyParameterFactory,
    "licensing.ExclusionListEntry": f.ExclusionListEntryFactory,
    "licensing.FinalSystem": f.FinalSystemFactory,
    "licensing.TreatyTransfer": f.TreatyTransferFactory,
    "licensing.Licence": f.LicenceFactory,
    "licensing.LicensedGoods": f.LicensedGoodsFactory,
    "licensing.LicensedParty": f.LicensedPartyFactory,
    "licensing.Shipment": f.ShipmentFactory,
    "consultations.Programme": f.ProgrammeFactory,
    "consultations.TreatyNotification": f.TreatyNotificationFactory,
    "consultations.Objection": f.ObjectionFactory,
    "consultations.ConsultationMeeting": f.ConsultationMeetingFactory,
    "general_licences.GeneralLicence": f.GeneralLicenceFactory,
    "general_licences.GeneralLicenceRegistration": f.GeneralLicenceRegistrationFactory,
    "general_licences.UsageReturn": f.UsageReturnFactory,
    "general_licences.UsageReturnLine": f.UsageReturnLineFactory,
    "reports.ReportRun": f.ReportRunFactory,
    "reports.ReportFile": f.ReportFileFactory,
    "reports.WorkingDay": f.WorkingDayFactory,
    "reports.WorkingCalendar": f.WorkingCalendarFactory,
}

# Fields full_clean cannot judge: a JSON list that is legitimately empty counts as "blank" to Django
# (JSONField has blank=False), but a treaty transfer has no reasons until the de minimis rule has been applied.
CLEAN_EXCLUDE: dict[str, list[str]] = {"licensing.TreatyTransfer": ["reasons"]}


def _concrete_models() -> list[str]:
    return sorted(
        model._meta.label
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        and not model._meta.proxy
        and model._meta.managed
        and model._meta.label not in EXCLUDED
    )


@pytest.mark.django_db
@pytest.mark.parametrize("label", _concrete_models())
def test_factory_builds_a_valid_saved_record_when_model_is_concrete(label: str) -> None:
    assert label in MODEL_FACTORIES, f"{label} has no factory: add one in tests/factories and to MODEL_FACTORIES"
    factory_class = MODEL_FACTORIES[label]

    created = factory_class.create()

    model = apps.get_model(label)
    assert isinstance(created, model)
    stored = model._default_manager.get(pk=created.pk)
    stored.full_clean(exclude=CLEAN_EXCLUDE.get(label))
    # Defaults must respect every unique constraint: a second record builds too (or is the same reference row).
    assert factory_class.create().pk is not None
