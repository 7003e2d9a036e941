"""Certificate screens: the exporter enters an end-user certificate as data for a draft (checked against the
draft's end user) or reuses one registered before; an officer asks for a certificate of integration on a treaty
component transfer and the exporter sends it (with the signed copy). Exporter B gets 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditEvent, Verb
from core.exceptions import TransitionNotAllowed
from core.models import Notification
from licensing.certificate_rules import ERR_EUC_OTHER_END_USER
from licensing.models import CertificateUse, DocumentKind, EndUserCertificate, LicenceType, PartyRole
from licensing.services.certificates import ERR_NOT_TREATY, integration_certificate_request
from tests.factories import EndUserCertificateFactory, complete_draft, submitted_application
from tests.licensing.services.pdfs import MINIMAL_PDF

pytestmark = pytest.mark.django_db


def _euc_post(**changes):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    data = {"issuer": "Norwegian Ministry of Defence", "number": "NO-MOD-2026-117",
            "issued_on": (today - timedelta(days=10)).isoformat(),
            "valid_until": (today + timedelta(days=300)).isoformat(),
            "re_export_clause": "on", "end_user_name": "Royal Norwegian Navy", "end_user_country": "NO"}  # fmt: skip
    data.update(changes)
    return data


def _draft(exporter):  # type: ignore[no-untyped-def]
    draft = complete_draft(organisation=exporter.organisation, created_by=exporter)
    draft.parties.filter(role=PartyRole.END_USER).update(name="Royal Norwegian Navy", country_id="NO")
    return draft


def test_exporter_enters_a_certificate_for_the_drafts_end_user(client_for, exporter_a):
    draft = _draft(exporter_a)
    response = client_for(exporter_a).post(f"/portal/applications/{draft.pk}/certificates/register/", _euc_post())
    assert response.status_code == 302
    use = CertificateUse.objects.get(application=draft)
    assert use.certificate.number == "NO-MOD-2026-117" and use.certificate.re_export_clause


def test_certificate_naming_another_end_user_is_refused_on_the_form(client_for, exporter_a):
    draft = _draft(exporter_a)
    response = client_for(exporter_a).post(
        f"/portal/applications/{draft.pk}/certificates/register/", _euc_post(end_user_name="Danish Army")
    )
    assert response.status_code == 400
    expected = ERR_EUC_OTHER_END_USER.format(named="Danish Army", country="NO", end_user="Royal Norwegian Navy")
    assert expected in response.context["euc_form"].non_field_errors()
    assert not CertificateUse.objects.exists()


def test_exporter_reuses_a_valid_certificate_of_the_same_end_user(client_for, exporter_a):
    certificate = EndUserCertificateFactory(organisation=exporter_a.organisation, created_by=exporter_a)
    expired = EndUserCertificateFactory(
        organisation=exporter_a.organisation, created_by=exporter_a,
        issued_on=timezone.localdate() - timedelta(days=800), valid_until=timezone.localdate() - timedelta(days=1),
    )  # fmt: skip
    draft = _draft(exporter_a)
    client = client_for(exporter_a)
    page = client.get(f"/portal/applications/{draft.pk}/certificates/")
    assert list(page.context["reusable"]) == [certificate]
    assert (
        client.post(f"/portal/applications/{draft.pk}/certificates/attach/", {"certificate": expired.pk}).status_code
        == 404
    )
    assert (
        client.post(
            f"/portal/applications/{draft.pk}/certificates/attach/", {"certificate": certificate.pk}
        ).status_code
        == 302
    )
    assert CertificateUse.objects.get(application=draft).certificate == certificate


def test_exporter_b_gets_404_for_another_companys_certificates_page(client_for, exporter_a, exporter_b):
    draft = _draft(exporter_a)
    assert client_for(exporter_b).get(f"/portal/applications/{draft.pk}/certificates/").status_code == 404
    response = client_for(exporter_b).post(f"/portal/applications/{draft.pk}/certificates/register/", _euc_post())
    assert response.status_code == 404
    assert not EndUserCertificate.objects.exists()


def test_officer_asks_for_a_certificate_of_integration_and_exporter_sends_it(client_for, officer, exporter_a):
    case = submitted_application(organisation=exporter_a.organisation, created_by=exporter_a, assigned_to=officer,
                                 licence_type=LicenceType.TREATY_COMPONENT)  # fmt: skip
    response = client_for(officer).post(
        f"/casework/cases/{case.pk}/integration-certificate/", {"note": "Certify integration into the turret."}
    )
    assert response.status_code == 302
    asked = case.integration_certificates.get()
    assert Notification.objects.filter(user=exporter_a, link=f"/portal/applications/{case.pk}/certificates/").exists()
    with pytest.raises(TransitionNotAllowed):  # one open request per case
        integration_certificate_request(actor=officer, application_id=case.pk, note="Again")

    upload = SimpleUploadedFile("integration.pdf", MINIMAL_PDF, content_type="application/pdf")
    response = client_for(exporter_a).post(
        f"/portal/applications/{case.pk}/certificates/integration/{asked.pk}/",
        {"issuer": "KNDS Deutschland", "number": "INT-2026-4", "issued_on": timezone.localdate().isoformat(),
         "file": upload},
    )  # fmt: skip
    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.number, asked.document.kind) == ("INT-2026-4", DocumentKind.INTEGRATION_CERTIFICATE)
    assert AuditEvent.objects.filter(verb=Verb.INTEGRATION_CERTIFICATE_RECEIVED, target_id=str(case.pk)).exists()
    page = client_for(officer).get(f"/casework/cases/{case.pk}/")
    assert b"INT-2026-4" in page.content


def test_certificate_of_integration_is_asked_only_on_treaty_transfers(officer, exporter_a):
    case = submitted_application(organisation=exporter_a.organisation, created_by=exporter_a)
    with pytest.raises(TransitionNotAllowed, match=str(ERR_NOT_TREATY)):
        integration_certificate_request(actor=officer, application_id=case.pk, note="Please")
