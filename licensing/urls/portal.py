"""Exporter portal URLs (namespace `portal`). Views: licensing/views/exporter*.py and parties/views.py."""

from django.urls import path

from core.views.webhooks import WebhookDisableView, WebhookListView, WebhookRotateView
from parties.views import ColleagueInviteView, OrganisationRegisterDoneView, OrganisationRegisterView

from ..views import (
    assessment_denials,
    certificates,
    exporter,
    exporter_actions,
    exporter_amendments,
    exporter_catalogue,
    exporter_licences,
    exporter_objections,
    exporter_reuse,
)

app_name = "portal"
urlpatterns = [
    path("applications/", exporter.ApplicationListView.as_view(), name="application_list"),
    path(
        "refusal-letters/<int:pk>/",
        assessment_denials.ExporterRefusalLetterDownloadView.as_view(),
        name="refusal_letter",
    ),
    path("applications/new/", exporter.ApplicationCreateView.as_view(), name="application_create"),
    path("applications/<int:pk>/", exporter.ApplicationDetailView.as_view(), name="application_detail"),
    # Certificates: end-user certificate as data (entered or reused), certificate of integration received.
    path("applications/<int:pk>/certificates/", certificates.CertificatesView.as_view(), name="certificates"),
    path(
        "applications/<int:pk>/certificates/attach/",
        certificates.CertificateAttachView.as_view(),
        name="certificate_attach",
    ),
    path(
        "applications/<int:pk>/certificates/register/",
        certificates.CertificateRegisterView.as_view(),
        name="certificate_register",
    ),
    path(
        "applications/<int:pk>/certificates/integration/<int:request_id>/",
        certificates.IntegrationCertificateReceiveView.as_view(),
        name="integration_certificate_receive",
    ),
    # Reuse: the organisation's products and parties.
    path("catalogue/", exporter_catalogue.CatalogueView.as_view(), name="catalogue"),
    path("catalogue/products/", exporter_catalogue.ProductSaveView.as_view(), name="product_save"),
    path("catalogue/parties/", exporter_catalogue.SavedPartySaveView.as_view(), name="saved_party_save"),
    # A draft, step by step: each step on its own page; check and submit is application_detail.
    path("applications/<int:pk>/draft/<slug:step>/", exporter.DraftStepView.as_view(), name="draft_step"),
    path("applications/<int:pk>/copy/", exporter_reuse.ApplicationCopyView.as_view(), name="application_copy"),
    # Objection against the decision (bezwaar).
    path(
        "applications/<int:pk>/objection/",
        exporter_objections.ObjectionStartView.as_view(),
        name="objection_start",
    ),
    path("objections/<int:pk>/", exporter_objections.ObjectionDetailView.as_view(), name="objection_detail"),
    path(
        "objections/<int:pk>/withdraw/",
        exporter_objections.ObjectionWithdrawView.as_view(),
        name="objection_withdraw",
    ),
    # Actions on a draft: each posts one form and redirects to its step (or the next one, on "continue").
    path(
        "applications/<int:pk>/details/",
        exporter_actions.ApplicationUpdateView.as_view(),
        name="application_update",
    ),
    path("applications/<int:pk>/goods/", exporter_actions.GoodsSaveView.as_view(), name="goods_save"),
    path(
        "applications/<int:pk>/goods/<int:line_id>/remove/",
        exporter_actions.GoodsRemoveView.as_view(),
        name="goods_remove",
    ),
    path("applications/<int:pk>/parties/", exporter_actions.PartySaveView.as_view(), name="party_save"),
    path(
        "applications/<int:pk>/parties/<int:party_id>/remove/",
        exporter_actions.PartyRemoveView.as_view(),
        name="party_remove",
    ),
    path("applications/<int:pk>/documents/", exporter_actions.DocumentUploadView.as_view(), name="document_upload"),
    path("applications/<int:pk>/submit/", exporter_actions.ApplicationSubmitView.as_view(), name="application_submit"),
    # Actions on a submitted case.
    path(
        "applications/<int:pk>/answer/",
        exporter_actions.InformationProvideView.as_view(),
        name="information_provide",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        exporter_actions.ApplicationWithdrawView.as_view(),
        name="application_withdraw",
    ),
    path("documents/<int:pk>/", exporter_actions.DocumentDownloadView.as_view(), name="document_download"),
    # Licences and shipments.
    path("licences/", exporter_licences.LicenceListView.as_view(), name="licence_list"),
    path("licences/<int:pk>/", exporter_licences.LicenceDetailView.as_view(), name="licence_detail"),
    path("licences/<int:pk>/shipments/", exporter_licences.ShipmentRecordView.as_view(), name="shipment_record"),
    path("licences/<int:pk>/pdf/", exporter_licences.LicencePdfView.as_view(), name="licence_pdf"),
    path(
        "licences/<int:pk>/change/<str:kind>/",
        exporter_amendments.AmendmentRequestView.as_view(),
        name="amendment_request",
    ),
    path("licences/<int:pk>/surrender/", exporter_amendments.LicenceSurrenderView.as_view(), name="licence_surrender"),
    path(
        "licences/<int:pk>/versions/<int:number>/pdf/",
        exporter_amendments.LicenceVersionPdfView.as_view(),
        name="licence_version_pdf",
    ),
    path(
        "amendments/<int:pk>/withdraw/", exporter_amendments.AmendmentWithdrawView.as_view(), name="amendment_withdraw"
    ),
    # Company onboarding (public) and colleagues.
    path("register/", OrganisationRegisterView.as_view(), name="register"),
    path("register/done/", OrganisationRegisterDoneView.as_view(), name="register_done"),
    path("colleagues/", ColleagueInviteView.as_view(), name="colleague_invite"),
    # Webhooks to the company's own systems (the organisation's administrator).
    path("webhooks/", WebhookListView.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/rotate/", WebhookRotateView.as_view(), name="webhook_rotate"),
    path("webhooks/<int:pk>/disable/", WebhookDisableView.as_view(), name="webhook_disable"),
]
