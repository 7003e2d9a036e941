"""The emergency-brake register of the treaty report: every objection made or received in the period, told
rather than counted - direction, partner, third country, programme, ground, dates, duration and outcome.

Source: Agreement on Export Controls in the Field of Defence (Paris, 2021-09-17), emergency brake: a party may
object only where its direct interests or national security are compromised, within two months of becoming
aware; the parties then hold high-level consultations and seek a solution by consensus, with no time limit
(../shared/domain/README.md "Treaty: programmes, cooperation projects and the emergency brake"). Parliament was
promised that transparency does not decrease under the treaty (Kamerstuk 22 054 nr. 401).

What is public, and why (PUBLIC_FIELDS): the facts between states that parliament needs to follow the brake -
which way it went, which partner state, which third country, which programme, the ground the treaty allows,
the dates, how long the consultation took and how it ended. These are the state's own acts under the treaty;
none names a company. What stays confidential (CONFIDENTIAL_FIELDS, the "reports.confidential" variant): the
export project's description and the other party's reference (they identify contracts and companies, as the
monthly overview's exporter column does), the reasons given (the objecting state's assessment of its security
interests, exchanged between governments in confidence) and the Dutch case reference.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from consultations.models.treaty import NotificationSubject, Objection, ObjectionStatus, Programme, TreatyNotification
from licensing.models import Application
from licensing.models.consultation import Consultation, ConsultationOutcome
from licensing.models.treaty import TreatyRefusalGround

from ..tables import Column, Kind, Table
from .names import country_names
from .snapshot import Snapshot

PUBLIC_FIELDS = (
    "objection_on",
    "direction",
    "partner",
    "third_country",
    "subject_kind",
    "programme",
    "ground",
    "aware_on",
    "consultation_opened_on",
    "concluded_on",
    "duration_days",
    "outcome",
)
CONFIDENTIAL_FIELDS = ("export_project", "their_reference", "reasons", "case_reference")


def brake_register(
    snap: Snapshot,
    *,
    year_from: int,
    year_to: int,
    today: date,
    confidential: bool,
    names: dict[str | None, str] | None = None,
) -> Table:
    """One row per objection sent or received in [year_from, year_to], in the order they were made. `names`: the
    report's country names (queries.names.country_names), or None to read those of the partners named."""
    notification = {
        name: snap.value(TreatyNotification, name, ref="notification_id", path=f"notification__{name}")
        for name in (
            "counterpart_id",
            "third_country_id",
            "subject_kind",
            "received_on",
            "programme_id",
            "subject",
            "their_reference",
            "application_id",
        )
    }
    consultation = {
        name: snap.value(Consultation, name, ref="consultation_id", path=f"consultation__{name}")
        for name in ("opened_on", "concluded_on", "outcome")
    }
    made = Q(status=ObjectionStatus.SENT, sent_on__year__gte=year_from, sent_on__year__lte=year_to)
    received = Q(status=ObjectionStatus.RECEIVED, received_on__year__gte=year_from, received_on__year__lte=year_to)
    rows = list(
        snap.rows(Objection)
        .filter(made | received)
        .annotate(
            objection_on=Coalesce(F("sent_on"), F("received_on")),
            n_counterpart=notification["counterpart_id"],
            n_third=notification["third_country_id"],
            n_kind=notification["subject_kind"],
            n_aware=notification["received_on"],
            n_programme=notification["programme_id"],
            n_subject=notification["subject"],
            n_reference=notification["their_reference"],
            n_application=notification["application_id"],
            c_opened=consultation["opened_on"],
            c_concluded=consultation["concluded_on"],
            c_outcome=Coalesce(consultation["outcome"], Value("")),
        )
        .annotate(
            programme_name=snap.value(Programme, "name", ref="n_programme", path="notification__programme__name"),
            case_reference=snap.value(
                Application, "reference", ref="n_application", path="notification__application__reference"
            ),
        )
        .order_by("objection_on", "id")
        .values(
            "objection_on",
            "status",
            "ground",
            "reasons",
            "n_counterpart",
            "n_third",
            "n_kind",
            "n_aware",
            "n_subject",
            "n_reference",
            "c_opened",
            "c_concluded",
            "c_outcome",
            "programme_name",
            "case_reference",
        )
    )
    if names is None:
        names = country_names({r["n_counterpart"] for r in rows} | {r["n_third"] for r in rows})
    # The labels translated once, not per row.
    grounds, outcomes, subjects = (
        {value: str(label) for value, label in choices}
        for choices in (TreatyRefusalGround.choices, ConsultationOutcome.choices, NotificationSubject.choices)
    )
    directions = {status: str(label) for status, label in direction_labels().items()}
    still_open = _("Still in consultation")
    out = []
    for r in rows:
        opened, concluded = r["c_opened"], r["c_concluded"]
        row: dict[str, Any] = {
            "objection_on": r["objection_on"],
            "direction": directions[r["status"]],
            "partner": names[r["n_counterpart"]],
            "third_country": names[r["n_third"]],
            "subject_kind": subjects.get(r["n_kind"], r["n_kind"]),
            "programme": r["programme_name"] or "",
            "ground": grounds.get(r["ground"], r["ground"]),
            "aware_on": r["n_aware"],
            "consultation_opened_on": opened,
            "concluded_on": concluded,
            # Calendar days; for a consultation still open, the days so far (on the report's as-of day).
            "duration_days": None if opened is None else ((concluded or today) - opened).days,
            "outcome": outcomes[r["c_outcome"]] if r["c_outcome"] else still_open,
            "export_project": r["n_subject"],
            "their_reference": r["n_reference"] or "",
            "reasons": r["reasons"],
            "case_reference": r["case_reference"] or "",
        }
        keys = PUBLIC_FIELDS + (CONFIDENTIAL_FIELDS if confidential else ())
        out.append({k: row[k] for k in keys})
    return Table(
        key="brake_register",
        caption=_("Emergency-brake register: objections made and received"),
        columns=_columns(confidential=confidential),
        rows=out,
        row_header="objection_on",
        note=_(
            "Public: direction, partner, third country, programme, ground, dates, duration and outcome - the "
            "states' own acts under the treaty, naming no company. Confidential: the export project, the other "
            "party's reference, the reasons (exchanged between governments in confidence) and the case reference."
        ),
    )


def direction_labels() -> dict[str, str]:
    """Objection status -> the register's word for its direction."""
    return {ObjectionStatus.SENT: _("Made by the Netherlands"), ObjectionStatus.RECEIVED: _("Received")}


def _columns(*, confidential: bool) -> list[Column]:
    columns = [
        Column("objection_on", _("Objection date"), Kind.DATE),
        Column("direction", _("Direction")),
        Column("partner", _("Partner state")),
        Column("third_country", _("Third country")),
        Column("subject_kind", _("Subject")),
        Column("programme", _("Programme or project")),
        Column("ground", _("Ground")),
        Column("aware_on", _("Aware of the export on"), Kind.DATE),
        Column("consultation_opened_on", _("Consultation opened"), Kind.DATE),
        Column("concluded_on", _("Concluded"), Kind.DATE),
        Column("duration_days", _("Duration (days)"), Kind.INT),
        Column("outcome", _("Outcome")),
    ]
    if confidential:
        columns += [
            Column("export_project", _("Export project")),
            Column("their_reference", _("Their reference"), Kind.CODE),
            Column("reasons", _("Reasons")),
            Column("case_reference", _("Case"), Kind.CODE),
        ]
    return columns
