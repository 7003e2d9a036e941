"""Licensing API routes. Views: licensing/api.py."""

urlpatterns: list = []
