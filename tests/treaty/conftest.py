"""Fixtures for the treaty work: the treaty parameters (data/reference/treaty_parameters.csv), a pinned home-state
accession, and helpers that build treaty cases through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from core.roles_setup import roles_sync
from licensing.models import Application, LicenceType, PartyRole, PartyType
from licensing.services import applications as apps
from licensing.services.treaty import treaty_transfer_save
from licensing.services.treaty_parameters import treaty_parameters_load
from parties.models import Bloc, Country, Membership, MembershipBasis
from tests.security.forms_templates import make_form_templates_available

# The Netherlands is an acceding state: its accession is configurable data. Tests pin one, well before the dates
# they use, so that "is the home state a party?" is not what they test unless they say so.
TEST_NL_ACCESSION = date(2022, 6, 9)


def _load_reference_data() -> None:
    roles_sync()
    call_command("load_reference_data", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def reference_data(db):  # type: ignore[no-untyped-def]
    """The reference tables, reloaded when a transactional test elsewhere emptied them (it flushes every table)."""
    if not Country.objects.filter(pk="NL").exists():
        _load_reference_data()


@pytest.fixture(autouse=True)
def _form_templates(settings):  # type: ignore[no-untyped-def]
    make_form_templates_available(settings)  # until "django.forms" is in INSTALLED_APPS


@pytest.fixture(autouse=True)
def treaty_parameters(reference_data):  # type: ignore[no-untyped-def]
    treaty_parameters_load()


@pytest.fixture(autouse=True)
def nl_accession(reference_data):  # type: ignore[no-untyped-def]
    return Membership.objects.create(
        country_id="NL",
        bloc=Bloc.TREATY,
        since=TEST_NL_ACCESSION,
        basis=MembershipBasis.HYPOTHETICAL,
        note="Test fixture: hypothetical accession.",
    )


@pytest.fixture(scope="module")
def reference_data_restored(django_db_blocker):  # type: ignore[no-untyped-def]
    """For modules with transactional tests: reload the reference tables after the module, because a
    transactional test empties every table when it ends and later tests expect the countries."""
    yield
    with django_db_blocker.unblock():
        _load_reference_data()


def treaty_draft(
    exporter: Any, *, title: str = "Radar modules for an integrator", goods_value: str = "200000", euc: bool = False
) -> Application:
    """A complete treaty component transfer draft (goods, consignee, end user in France), via the services.

    `euc`: upload an end-user certificate too, which a transfer outside the de minimis rule needs."""
    application = apps.application_create(
        actor=exporter,
        licence_type=LicenceType.TREATY_COMPONENT,
        title=title,
        end_use="Integration into a radar system",
    )
    apps.goods_line_save(
        actor=exporter,
        application_id=application.pk,
        description="Radar receiver module",
        ml_category_id="ML11",
        quantity=Decimal("1"),
        unit="pcs",
        unit_value=Decimal(goods_value),
        currency="EUR",
        is_component=True,
    )
    for role in (PartyRole.CONSIGNEE, PartyRole.END_USER):
        apps.party_save(
            actor=exporter,
            application_id=application.pk,
            role=role,
            name="Integrateur Radar SA",
            address="1 rue de l'Industrie, Toulouse",
            country_id="FR",
            party_type=PartyType.COMMERCIAL,
        )
    if euc:
        from tests.licensing.services.pdfs import pdf_upload

        apps.document_upload(actor=exporter, application_id=application.pk, kind="euc", upload=pdf_upload())
    return application


def save_transfer(exporter: Any, application: Application, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "final_system_name": "Naval air-defence radar",
        "final_system_identifier": "NADR-2026",
        "final_system_ml_category_id": "ML11",
        "integrator_name": "Integrateur Radar SA",
        "integrator_country_id": "FR",
        "end_destination_ids": ["IN"],
        "gross_total_value": Decimal("1000000.00"),
    }
    values.update(overrides)
    return treaty_transfer_save(actor=exporter, application_id=application.pk, **values)


def submit_and_decide(exporter: Any, officer: Any, application: Application, *, approve: bool = True) -> Application:
    """Submit a treaty draft, let the officer take it and approve it (or leave it pending), via the services."""
    from licensing.services import casework

    apps.application_submit(actor=exporter, application_id=application.pk)
    casework.application_assign(actor=officer, application_id=application.pk, assignee=officer)
    if approve:
        today = date.today()
        casework.decision_propose(
            actor=officer,
            application_id=application.pk,
            outcome="approve",
            justification="De minimis transfer into a partner's system.",
            valid_from=today,
            valid_until=today.replace(year=today.year + 1),
        )
    application.refresh_from_db()
    return application
