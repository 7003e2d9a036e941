"""URLs of the reports app (namespace `reports`), under /reports/."""

from __future__ import annotations

from django.urls import path, re_path

from .definitions import DEFINITIONS
from .views import ministry, parliament

app_name = "reports"


urlpatterns = [
    path("", ministry.ReportIndexView.as_view(), name="index"),
    path("runs/", ministry.ReportRunListView.as_view(), name="run_list"),
    path("runs/<int:pk>/", ministry.ReportRunDetailView.as_view(), name="run_detail"),
    path("runs/<int:pk>/progress/", ministry.ReportRunProgressView.as_view(), name="run_progress"),
    path("runs/<int:pk>/files/<int:file_pk>/", ministry.ReportFileDownloadView.as_view(), name="run_file"),
    path("parliament/", parliament.ParliamentInformationListView.as_view(), name="parliament_list"),
    path("parliament/<int:pk>/", parliament.ParliamentInformationDetailView.as_view(), name="parliament_detail"),
    path("parliament/<int:pk>/letter/", parliament.ParliamentLetterDownloadView.as_view(), name="parliament_letter"),
    re_path(
        r"^open-data/monthly/(?P<year>\d{4})-(?P<month>\d{2})\.(?P<fmt>csv|json|metadata\.json)$",
        ministry.OpenDataMonthlyView.as_view(),
        name="open_data_monthly",
    ),
]
for _slug, _definition in DEFINITIONS.items():
    urlpatterns += [
        path(
            f"{_slug}/",
            ministry.ReportPageView.as_view(definition=_definition, capability=_definition.capability),
            name=_slug,
        ),
        path(
            f"{_slug}/runs/",
            ministry.ReportRunCreateView.as_view(definition=_definition, capability=_definition.capability),
            name=f"{_slug}_run",
        ),
    ]
