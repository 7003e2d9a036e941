"""Issue 15: no select shows Django's "---------". The empty choice reads "Choose…" when a choice is required and
"None" when it is not, in the user's language (templates/django/forms/widgets/select*.html)."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from consultations.forms import OutgoingNotificationForm
from licensing.models import Application
from parties.models import Country

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    country = forms.ModelChoiceField(queryset=Country.objects.all(), label="Country")
    assignee_country = forms.ModelChoiceField(queryset=Country.objects.all(), label="Other", required=False)


def test_empty_choice_reads_choose_when_required_and_none_when_optional():
    html = str(_Form())

    assert "---------" not in html
    assert '<option value="" selected>Choose…</option>' in html
    assert '<option value="" selected>None</option>' in html


def test_empty_choice_is_dutch_when_the_interface_is_dutch():
    with translation.override("nl"):
        html = str(_Form())

    assert "---------" not in html
    assert "Kies…" in html


def test_parties_notified_offers_only_the_treaty_parties_as_check_boxes():
    form = OutgoingNotificationForm(applications=Application.objects.none())

    offered = {country.iso2 for country in form.fields["counterparts"].queryset}
    html = str(form["counterparts"])

    # The Agreement's parties besides the Netherlands: France, Germany, Spain, the United Kingdom.
    assert offered == {"FR", "DE", "ES", "GB"}
    assert 'type="checkbox"' in html
    assert "Italy" not in html
