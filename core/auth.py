from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: companies register through the onboarding flow, staff are created by administrators."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
