"""The monthly publication as open data (issue 16, part 4): public without login, the confidential report's
public fields and nothing else, with metadata and checksums.

August 2024 in the register of conftest.py with L7's treaty details: one decision, L7 (France, ML10, 30 000,
treaty component transfer, de minimis, final system to India), expiring 2026-08-08.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date

import pytest

from reports.queries.monthly import monthly_overview, published_columns
from reports.queries.snapshot import end_of_day

from .test_end_destinations import treaty_transfer

pytestmark = pytest.mark.django_db

BASE = "/reports/open-data/monthly/2024-08"


@pytest.fixture
def august(register):  # type: ignore[no-untyped-def]
    treaty_transfer(register.l7, de_minimis=True, end_destinations=["IN"])
    return register


def test_anyone_downloads_the_monthly_csv_json_and_metadata_without_logging_in(client, august):
    for suffix in (".csv", ".json", ".metadata.json"):
        response = client.get(f"{BASE}{suffix}?as_of=2024-12-31")
        assert response.status_code == 200, suffix
        assert response["Cache-Control"] == "public, max-age=3600"


def test_open_data_rows_are_the_confidential_reports_public_fields_and_nothing_else(client, august):
    document = json.loads(client.get(f"{BASE}.json?as_of=2024-12-31").content)
    confidential = monthly_overview(year=2024, month=8, as_of=end_of_day(date(2024, 12, 31)), confidential=True)

    public = [c.key for c in published_columns()]
    assert [c["key"] for c in document["columns"]] == public
    assert [set(row) for row in document["rows"]] == [set(public)]
    row = confidential.table("decisions").rows[0]
    assert document["rows"][0] == {
        **{k: str(row[k]) for k in public if k not in ("value_eur", "date", "valid_until")},
        "date": "2024-08-08",
        "valid_until": "2026-08-08",
        "value_eur": 30000.0,
    }
    assert (document["rows"][0]["de_minimis"], document["rows"][0]["final_destinations"]) == ("Yes", "India")
    body = client.get(f"{BASE}.csv?as_of=2024-12-31").content.decode()
    for secret in (row["reference"], row["exporter"], row["end_user"]):
        assert secret not in body and secret not in json.dumps(document)


def test_metadata_names_period_as_of_licence_and_the_files_checksums(client, august):
    metadata = json.loads(client.get(f"{BASE}.metadata.json?as_of=2024-12-31").content)
    csv_body = client.get(f"{BASE}.csv?as_of=2024-12-31").content
    json_body = client.get(f"{BASE}.json?as_of=2024-12-31").content

    assert metadata["period"] == "2024-08"
    assert metadata["as_of"].startswith("2024-12-31T23:59:59")
    assert metadata["licence"]["id"] == "CC0-1.0"
    assert metadata["sha256"] == {
        "csv": hashlib.sha256(csv_body).hexdigest(),
        "json": hashlib.sha256(json_body).hexdigest(),
    }
    assert len(list(csv.reader(io.StringIO(csv_body.decode())))) == 1 + metadata["rows"] == 2


def test_a_month_is_not_public_before_it_has_ended(client, august):
    assert client.get(f"{BASE}.csv?as_of=2024-08-30").status_code == 404
    assert client.get(f"{BASE}.csv?as_of=2024-08-31").status_code == 200
