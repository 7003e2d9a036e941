from .licensing import ApplicationFactory, GoodsLineFactory, PartyFactory, complete_draft, submitted_application
from .parties import OrganisationFactory, UserFactory

__all__ = [
    "ApplicationFactory",
    "GoodsLineFactory",
    "OrganisationFactory",
    "PartyFactory",
    "UserFactory",
    "complete_draft",
    "submitted_application",
]
