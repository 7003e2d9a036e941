"""Licensing API routes under /api/v1/ (config/api_urls.py). Views: licensing/api_exporter.py (exporters),
licensing/api_catalogue.py (exporters' catalogue, saved parties and end-user certificates),
licensing/api_casework.py (officers), core/api_tokens.py (API tokens).

DRF exempts its views from LoginRequiredMiddleware and authenticates them itself (token or session);
DenyUnlessDeclared then refuses anonymous callers with 401."""

from __future__ import annotations

from django.urls import path

from core.api_tokens import ApiTokenApi

from . import api_amendments as amendments
from . import api_casework as casework
from . import api_catalogue as catalogue
from . import api_exporter as exporter
from . import api_objections as objections

app_name = "licensing_api"
urlpatterns = [
    # Exporters
    path("applications/", exporter.ApplicationListCreateApi.as_view(), name="applications"),
    path("applications/<int:pk>/", exporter.ApplicationDetailApi.as_view(), name="application"),
    path("applications/<int:pk>/goods/", exporter.GoodsLineCreateApi.as_view(), name="application-goods"),
    path(
        "applications/<int:pk>/goods/<int:line_id>/",
        exporter.GoodsLineDetailApi.as_view(),
        name="application-goods-line",
    ),
    path("applications/<int:pk>/parties/", exporter.PartyCreateApi.as_view(), name="application-parties"),
    path(
        "applications/<int:pk>/parties/<int:party_id>/",
        exporter.PartyDetailApi.as_view(),
        name="application-party",
    ),
    path("applications/<int:pk>/documents/", exporter.DocumentUploadApi.as_view(), name="application-documents"),
    path(
        "applications/<int:pk>/submission-problems/",
        exporter.ApplicationSubmissionProblemsApi.as_view(),
        name="application-submission-problems",
    ),
    path("applications/<int:pk>/submit/", exporter.ApplicationSubmitApi.as_view(), name="application-submit"),
    path("applications/<int:pk>/withdraw/", exporter.ApplicationWithdrawApi.as_view(), name="application-withdraw"),
    path(
        "applications/<int:pk>/information-requests/",
        exporter.InformationRequestListApi.as_view(),
        name="application-information-requests",
    ),
    path("applications/<int:pk>/answer/", exporter.InformationAnswerApi.as_view(), name="application-answer"),
    path("applications/<int:pk>/objection/", objections.ObjectionFileApi.as_view(), name="application-objection"),
    path("objections/<int:pk>/", objections.ObjectionDetailApi.as_view(), name="objection"),
    path("licences/", exporter.LicenceListApi.as_view(), name="licences"),
    path("licences/<int:pk>/", exporter.LicenceDetailApi.as_view(), name="licence"),
    path("licences/<int:pk>/shipments/", exporter.ShipmentRecordApi.as_view(), name="licence-shipments"),
    path(
        "licences/<int:pk>/amendments/",
        amendments.LicenceAmendmentListCreateApi.as_view(),
        name="licence-amendments",
    ),
    path("licences/<int:pk>/surrender/", amendments.LicenceSurrenderApi.as_view(), name="licence-surrender"),
    path("amendments/<int:pk>/", amendments.AmendmentDetailApi.as_view(), name="amendment"),
    path("amendments/<int:pk>/withdraw/", amendments.AmendmentWithdrawApi.as_view(), name="amendment-withdraw"),
    path("documents/<int:pk>/download/", exporter.DocumentDownloadApi.as_view(), name="document-download"),
    path("products/", catalogue.ProductListCreateApi.as_view(), name="products"),
    path("products/<int:pk>/", catalogue.ProductDetailApi.as_view(), name="product"),
    path("saved-parties/", catalogue.SavedPartyListCreateApi.as_view(), name="saved-parties"),
    path("saved-parties/<int:pk>/", catalogue.SavedPartyDetailApi.as_view(), name="saved-party"),
    path("end-user-certificates/", catalogue.CertificateListCreateApi.as_view(), name="end-user-certificates"),
    path("end-user-certificates/<int:pk>/", catalogue.CertificateDetailApi.as_view(), name="end-user-certificate"),
    # Officers
    path("casework/cases/", casework.CaseListApi.as_view(), name="cases"),
    path("casework/cases/<int:pk>/", casework.CaseDetailApi.as_view(), name="case"),
    path("casework/cases/<int:pk>/assign/", casework.CaseAssignApi.as_view(), name="case-assign"),
    path(
        "casework/cases/<int:pk>/request-information/",
        casework.CaseInformationRequestApi.as_view(),
        name="case-request-information",
    ),
    path("casework/cases/<int:pk>/notes/", casework.CaseNoteCreateApi.as_view(), name="case-notes"),
    path("casework/cases/<int:pk>/criteria/", casework.CaseCriteriaAssessApi.as_view(), name="case-criteria"),
    path("casework/cases/<int:pk>/gate/", casework.CaseGateApi.as_view(), name="case-gate"),
    path("casework/cases/<int:pk>/decisions/", casework.DecisionProposeApi.as_view(), name="case-decisions"),
    path(
        "casework/decisions/<int:pk>/countersign/",
        casework.DecisionCountersignApi.as_view(),
        name="decision-countersign",
    ),
    path("casework/decisions/<int:pk>/return/", casework.DecisionReturnApi.as_view(), name="decision-return"),
    path("casework/licences/<int:pk>/status/", casework.LicenceStatusChangeApi.as_view(), name="licence-status"),
    path(
        "casework/documents/<int:pk>/download/",
        casework.CaseDocumentDownloadApi.as_view(),
        name="case-document-download",
    ),
    # Tokens for exporters' own systems
    path("tokens/", ApiTokenApi.as_view(), name="tokens"),
]
