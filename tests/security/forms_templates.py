"""Workaround until config/settings/base.py lists "django.forms" in INSTALLED_APPS: the project's form renderer
(TemplatesSetting) finds Django's widget templates only through that app, so every `{{ form }}` fails with
TemplateDoesNotExist: django/forms/widgets/text.html. This adds the same directory to the template DIRS for
a test, and does nothing once the app is installed."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import django.forms


def make_form_templates_available(settings: Any) -> None:
    if "django.forms" in settings.INSTALLED_APPS:
        return
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(django.forms.__file__).parent / "templates"]
    settings.TEMPLATES = templates
