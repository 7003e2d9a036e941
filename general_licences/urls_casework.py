"""Officer URLs for general licences (namespace `gl_casework`, under /casework/general-licences/)."""

from django.urls import path

from .views import officer

app_name = "gl_casework"
urlpatterns = [
    path("", officer.GeneralLicenceListView.as_view(), name="licence_list"),
    path("new/", officer.GeneralLicenceCreateView.as_view(), name="licence_create"),
    path("<int:pk>/", officer.GeneralLicenceDetailView.as_view(), name="licence_detail"),
    path("<int:pk>/edit/", officer.GeneralLicenceUpdateView.as_view(), name="licence_update"),
    path("registrations/<int:pk>/", officer.RegistrationDetailView.as_view(), name="registration_detail"),
    path("registrations/<int:pk>/decide/", officer.RegistrationDecideView.as_view(), name="registration_decide"),
    path(
        "registrations/<int:pk>/suspend/",
        officer.RegistrationStatusView.as_view(action="suspend"),
        name="registration_suspend",
    ),
    path(
        "registrations/<int:pk>/reinstate/",
        officer.RegistrationStatusView.as_view(action="reinstate"),
        name="registration_reinstate",
    ),
    path("companies/<int:organisation_id>/", officer.OrganisationUsageView.as_view(), name="organisation_usage"),
]
