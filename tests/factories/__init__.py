from .parties import OrganisationFactory, UserFactory

__all__ = ["OrganisationFactory", "UserFactory"]
