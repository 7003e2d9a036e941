from __future__ import annotations

from typing import Any

from django.core.checks import Error, register


@register()
def check_transition_table(app_configs: Any, **kwargs: Any) -> list[Error]:
    from .transitions import table_problems

    return [Error(problem, id="licensing.E001") for problem in table_problems()]
