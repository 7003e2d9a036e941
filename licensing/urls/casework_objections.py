"""Objection cases (bezwaar) in case work: views in licensing/views/officer_objections.py."""

from django.urls import path

from ..views import officer_objections

urlpatterns = [
    path("objections/", officer_objections.ObjectionListView.as_view(), name="objection_list"),
    path("objections/<int:pk>/", officer_objections.ObjectionDetailView.as_view(), name="objection_detail"),
    path("objections/<int:pk>/term/", officer_objections.ObjectionTermView.as_view(), name="objection_term"),
    path("objections/<int:pk>/hearing/", officer_objections.ObjectionHearingView.as_view(), name="objection_hearing"),
    path("objections/<int:pk>/advice/", officer_objections.ObjectionAdviceView.as_view(), name="objection_advice"),
    path("objections/<int:pk>/decide/", officer_objections.ObjectionDecideView.as_view(), name="objection_decide"),
]
