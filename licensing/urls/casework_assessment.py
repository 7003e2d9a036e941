"""Officer URLs for checks, criteria assessment, advice, denials. Views: licensing/views/assessment*.py."""

from django.urls import path

from ..views import assessment as views
from ..views import assessment_checks as checks
from ..views import assessment_denials as denials

urlpatterns = [
    path("cases/<int:pk>/assessment/", views.AssessmentView.as_view(), name="assessment"),
    path("cases/<int:pk>/checks/run/", checks.ChecksRunView.as_view(), name="checks_run"),
    path("cases/<int:pk>/advice/request/", views.AdviceRequestView.as_view(), name="advice_request"),
    path("checks/<int:pk>/resolve/", checks.CheckResolveView.as_view(), name="check_resolve"),
    path("denial-matches/<int:pk>/decide/", checks.DenialMatchDecideView.as_view(), name="denial_match_decide"),
    path("art4-consultations/<int:pk>/conclude/", checks.Art4ConcludeView.as_view(), name="art4_conclude"),
    path("advice/", views.AdviceListView.as_view(), name="advice_list"),
    path("advice/<int:pk>/", views.AdviceGiveView.as_view(), name="advice_detail"),
    path("denials/", denials.DenialListView.as_view(), name="denial_list"),
    path("denials/new/", denials.DenialCreateView.as_view(), name="denial_create"),
    path("denials/<int:pk>/", denials.DenialDetailView.as_view(), name="denial_detail"),
    path("refusal-letters/<int:pk>/", denials.RefusalLetterDownloadView.as_view(), name="refusal_letter"),
    path("licences/<int:pk>/revoke/", denials.LicenceRevokeView.as_view(), name="licence_revoke"),
]
