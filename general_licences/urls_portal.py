"""Exporter portal URLs for general licences (namespace `gl_portal`, under /portal/general-licences/)."""

from django.urls import path

from .views import exporter

app_name = "gl_portal"
urlpatterns = [
    path("", exporter.GeneralLicenceListView.as_view(), name="licence_list"),
    path("<int:pk>/", exporter.GeneralLicenceDetailView.as_view(), name="licence_detail"),
    path("<int:pk>/register/", exporter.GeneralLicenceRegisterView.as_view(), name="licence_register"),
    path("registrations/<int:pk>/", exporter.RegistrationDetailView.as_view(), name="registration_detail"),
    path("registrations/<int:pk>/returns/", exporter.UsageReturnFileView.as_view(), name="return_file"),
]
