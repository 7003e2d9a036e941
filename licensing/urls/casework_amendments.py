"""Licence changes in case work: views in licensing/views/officer_amendments.py."""

from django.urls import path

from ..views import officer_amendments as views

urlpatterns = [
    path("amendments/", views.AmendmentListView.as_view(), name="amendment_list"),
    path("amendments/<int:pk>/", views.AmendmentDetailView.as_view(), name="amendment_detail"),
    path("amendments/<int:pk>/decide/", views.AmendmentDecideView.as_view(), name="amendment_decide"),
    path("amendments/<int:pk>/countersign/", views.AmendmentCountersignView.as_view(), name="amendment_countersign"),
    path("amendments/<int:pk>/return/", views.AmendmentReturnView.as_view(), name="amendment_return"),
    path("amendments/<int:pk>/consult/", views.AmendmentConsultView.as_view(), name="amendment_consult"),
    path(
        "amendments/<int:pk>/dismiss-denial/",
        views.AmendmentDismissDenialView.as_view(),
        name="amendment_dismiss_denial",
    ),
    path("licences/<int:pk>/versions/", views.LicenceVersionsView.as_view(), name="licence_versions"),
    path(
        "licences/<int:pk>/versions/<int:number>/pdf/",
        views.LicenceVersionPdfView.as_view(),
        name="licence_version_pdf",
    ),
]
