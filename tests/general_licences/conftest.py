from tests.licensing.api.conftest import session_client, token_client  # noqa: F401  (the API clients)
