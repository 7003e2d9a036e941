from __future__ import annotations

from typing import Any

from django.core.checks import Error, register


@register()
def check_registration_transition_table(app_configs: Any, **kwargs: Any) -> list[Error]:
    from .transitions import registration_table_problems

    return [Error(problem, id="general_licences.E001") for problem in registration_table_problems()]
