from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """The claims each test person gets: groups (the role claim), e-mail, names, and how they authenticated
    (`amr`), from people.json in the state directory (written by the test)."""

    oidc_claim_scope = None  # every claim for every scope: the test says what each person has

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        people = json.loads((Path(os.environ["OIDC_PROVIDER_STATE"]) / "people.json").read_text())
        person = people[request.user.username]
        return {key: value for key, value in person.items() if key != "password"}
