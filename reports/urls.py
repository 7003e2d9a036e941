"""URLs of the reports app (namespace `reports`)."""

app_name = "reports"
urlpatterns: list = []
