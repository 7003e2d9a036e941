"""Officer case-work URLs: queue, case page, actions, organisations. Views: licensing/views/officer.py."""

urlpatterns: list = []
