"""Issue 18: an exporter's system polls the user's notifications over the API, a page at a time; nobody sees
another user's."""

from __future__ import annotations

import pytest

from core.models import Notification

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"


def test_notifications_list_only_the_callers_own_newest_first_when_polled(token_client, exporter_a, exporter_b):
    for n in range(3):
        Notification.objects.create(user=exporter_a, title=f"Question {n}")
    Notification.objects.create(user=exporter_b, title="Bravo's own")
    response = token_client(exporter_a).get(f"{URL}?page_size=2")
    assert response.status_code == 200
    body = response.json()
    assert [n["title"] for n in body["results"]] == ["Question 2", "Question 1"]
    rest = token_client(exporter_a).get(body["next"]).json()
    assert [n["title"] for n in rest["results"]] == ["Question 0"]
    assert rest["next"] is None


def test_notifications_list_costs_a_constant_number_of_queries_when_the_page_is_full(
    token_client, exporter_a, django_assert_max_num_queries
):
    Notification.objects.bulk_create([Notification(user=exporter_a, title=f"N{n}") for n in range(30)])
    client = token_client(exporter_a)
    with django_assert_max_num_queries(3):
        response = client.get(URL)
    assert len(response.json()["results"]) == 25


def test_notifications_are_refused_with_a_json_401_when_called_without_a_token(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
