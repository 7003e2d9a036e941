from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

admin.site.site_header = _("Export licence register: administration")
admin.site.site_title = _("Export licence register")
admin.site.index_title = _("Reference data and accounts")

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("allauth.urls")),
    path("saml2/", include("parties.saml")),  # eHerkenning
    path("oidc/", include("parties.oidc")),  # staff SSO
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("portal/general-licences/", include("general_licences.urls_portal")),
    path("portal/", include("licensing.urls.portal")),
    path("casework/general-licences/", include("general_licences.urls_casework")),
    path("casework/", include("licensing.urls.casework")),
    path("consultations/", include("consultations.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("config.api_urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
