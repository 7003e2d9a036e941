"""Officer case-work URLs: queue, case page, actions, files, organisations. Views: licensing/views/officer*.py."""

from django.urls import path

from ..views import certificates, officer, officer_awb, officer_case, officer_organisations

urlpatterns = [
    path("", officer.CaseQueueView.as_view(), name="queue"),
    path("cases/<int:pk>/", officer_case.CaseDetailView.as_view(), name="case_detail"),
    path(
        "cases/<int:pk>/earlier-decisions/",
        officer_case.CasePanelView.as_view(),
        {"key": "earlier_decisions"},
        name="case_earlier_decisions",
    ),
    path("cases/<int:pk>/assign/", officer_case.CaseAssignView.as_view(), name="case_assign"),
    path(
        "cases/<int:pk>/request-information/",
        officer_case.CaseRequestInformationView.as_view(),
        name="case_request_information",
    ),
    path(
        "cases/<int:pk>/integration-certificate/",
        certificates.IntegrationCertificateRequestView.as_view(),
        name="integration_certificate_request",
    ),
    path("cases/<int:pk>/notes/", officer_case.CaseAddNoteView.as_view(), name="case_add_note"),
    path("cases/<int:pk>/delay-notice/", officer_awb.CaseDelayNoticeView.as_view(), name="case_delay_notice"),
    path("cases/<int:pk>/decision/", officer_case.CaseProposeDecisionView.as_view(), name="case_propose_decision"),
    path(
        "decisions/<int:pk>/countersign/",
        officer_case.DecisionCountersignView.as_view(),
        name="decision_countersign",
    ),
    path("decisions/<int:pk>/return/", officer_case.DecisionReturnView.as_view(), name="decision_return"),
    path("licences/<int:pk>/status/", officer_case.LicenceChangeStatusView.as_view(), name="licence_change_status"),
    path("licences/<int:pk>/pdf/", officer.LicencePdfView.as_view(), name="licence_pdf"),
    path("documents/<int:pk>/", officer.DocumentDownloadView.as_view(), name="document_download"),
    path("organisations/", officer_organisations.OrganisationListView.as_view(), name="organisation_list"),
    path(
        "organisations/<int:pk>/",
        officer_organisations.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "organisations/<int:pk>/approve/",
        officer_organisations.OrganisationApproveView.as_view(),
        name="organisation_approve",
    ),
    path(
        "organisations/<int:pk>/reject/",
        officer_organisations.OrganisationRejectView.as_view(),
        name="organisation_reject",
    ),
]
