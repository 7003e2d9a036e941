"""The Django admin carries the register's name and colours, in the user's language."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_admin_index_is_branded_as_the_register(client_for, administrator):
    content = client_for(administrator).get("/admin/").content.decode()

    assert "Export licence register: administration" in content
    assert "/static/css/admin.css" in content
    assert 'href="/"' in content and "Back to the register" in content
    assert "Django administration" not in content
