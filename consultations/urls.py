"""URLs of the consultations app (namespace `consultations`)."""

app_name = "consultations"
urlpatterns: list = []
