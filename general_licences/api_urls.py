"""General licence API routes under /api/v1/general-licences/ (config/api_urls.py). Views: general_licences/api.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.GeneralLicenceListApi.as_view(), name="api-general-licences"),
    path("<int:pk>/registrations/", api.GeneralLicenceRegisterApi.as_view(), name="api-general-licence-register"),
    path("registrations/<int:pk>/", api.RegistrationDetailApi.as_view(), name="api-general-licence-registration"),
    path("registrations/<int:pk>/returns/", api.UsageReturnFileApi.as_view(), name="api-usage-returns"),
]
