"""URLs of the consultations app (namespace `consultations`, mounted at /consultations/)."""

from django.urls import path

from .views import brake, corrections, exporter, officer, programmes

app_name = "consultations"
urlpatterns = [
    path("", officer.DashboardView.as_view(), name="dashboard"),
    path("notifications/new/", officer.IncomingNotificationCreateView.as_view(), name="notification_new"),
    path(
        "notifications/new-outgoing/",
        officer.OutgoingNotificationCreateView.as_view(),
        name="notification_new_outgoing",
    ),
    path("notifications/<int:pk>/", officer.NotificationDetailView.as_view(), name="notification_detail"),
    path("notifications/<int:pk>/assign/", officer.NotificationAssignView.as_view(), name="notification_assign"),
    path("notifications/<int:pk>/close/", officer.NotificationCloseView.as_view(), name="notification_close"),
    path("notifications/<int:pk>/objection/", brake.ObjectionProposeView.as_view(), name="objection_propose"),
    path(
        "notifications/<int:pk>/objection-received/",
        brake.ObjectionReceiveView.as_view(),
        name="objection_receive",
    ),
    path(
        "notifications/<int:pk>/no-objection/",
        brake.NoObjectionAnswerView.as_view(),
        name="notification_no_objection",
    ),
    path("objections/<int:pk>/approve/", brake.ObjectionApproveView.as_view(), name="objection_approve"),
    path("objections/<int:pk>/return/", brake.ObjectionReturnView.as_view(), name="objection_return"),
    path("objections/<int:pk>/send/", brake.ObjectionSendView.as_view(), name="objection_send"),
    path("high-level/<int:pk>/meetings/", brake.MeetingRecordView.as_view(), name="meeting_record"),
    path("high-level/<int:pk>/conclude/", brake.ConsultationConcludeView.as_view(), name="consultation_conclude"),
    path("programmes/", programmes.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", programmes.ProgrammeSaveView.as_view(), name="programme_new"),
    path("programmes/<int:pk>/", programmes.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("programmes/<int:pk>/edit/", programmes.ProgrammeSaveView.as_view(), name="programme_edit"),
    path(
        "exporter/transfers/<int:application_pk>/",
        exporter.TreatyTransferView.as_view(),
        name="exporter_transfer",
    ),
    path("cases/<int:pk>/treaty-correction/", corrections.TreatyCorrectionView.as_view(), name="treaty_correction"),
]
