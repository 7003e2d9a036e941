"""Gap-free reference and licence numbers per year."""

from __future__ import annotations

from ..models import ReferenceSequence

APPLICATION_SERIES = "APP"
LICENCE_SERIES = "NL-ML"


def next_number(*, series: str, year: int) -> int:
    """Take the next number in the series. Call inside the service's transaction.

    select_for_update on the sequence row: two officers issuing at once would otherwise read the same `last`
    and hand out the same number; with the lock the second waits and gets the next one. A rollback returns the
    number, so the series stays gap-free.
    """
    ReferenceSequence.objects.get_or_create(series=series, year=year)
    sequence = ReferenceSequence.objects.select_for_update().get(series=series, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def application_reference(year: int) -> str:
    return f"{APPLICATION_SERIES}-{year}-{next_number(series=APPLICATION_SERIES, year=year):06d}"


def licence_number(year: int) -> str:
    return f"{LICENCE_SERIES}-{year}-{next_number(series=LICENCE_SERIES, year=year):06d}"
