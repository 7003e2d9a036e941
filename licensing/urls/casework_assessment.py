"""Officer URLs for checks, criteria assessment, advice, denials. Views: licensing/views/assessment.py."""

urlpatterns: list = []
