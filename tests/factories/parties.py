from __future__ import annotations

from datetime import date
from typing import Any

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from core.roles import Role
from parties.models import (
    Bloc,
    Country,
    Embargo,
    ExternalIdentity,
    IdentityProvider,
    Membership,
    MembershipBasis,
    Organisation,
    OrganisationStatus,
    RoleGrant,
    RoleGrantStatus,
    SignInPolicy,
    StaffRoleMapping,
    User,
)

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Company {n} B.V.")
    kvk_number = factory.Sequence(lambda n: f"{10000000 + n:08d}")
    address = "Straat 1\n1000 AA Amsterdam"
    country_id = "NL"
    contact_name = "Contact Person"
    contact_email = factory.Sequence(lambda n: f"contact{n}@company.example")
    status = OrganisationStatus.APPROVED


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Tester"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: Any) -> None:
        if not create:
            return
        if extracted:
            self.groups.set([Group.objects.get_or_create(name=role.value)[0] for role in extracted])
        self.save()  # also stores the password hashed by the post-generation call above


# Reference rows (data/reference/*.csv are loaded into every test database): get-or-create on the natural key
# the loader (seeding/reference_data.py) uses, so a factory call returns the loaded row instead of a duplicate.
COUNTRY_NAMES = {
    "NL": ("Netherlands", "Nederland"),
    "DE": ("Germany", "Duitsland"),
    "FR": ("France", "Frankrijk"),
    "ES": ("Spain", "Spanje"),
    "NO": ("Norway", "Noorwegen"),
    "US": ("United States", "Verenigde Staten"),
    "IN": ("India", "India"),
    "SA": ("Saudi Arabia", "Saoedi-Arabië"),
}


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("iso2",)

    iso2 = "NL"
    name_en = factory.LazyAttribute(lambda o: COUNTRY_NAMES.get(o.iso2, (f"Country {o.iso2}",) * 2)[0])
    name_nl = factory.LazyAttribute(lambda o: COUNTRY_NAMES.get(o.iso2, (f"Land {o.iso2}",) * 2)[1])


class MembershipFactory(factory.django.DjangoModelFactory):
    """The Netherlands as a founding member of NATO (North Atlantic Treaty in force 1949-08-24)."""

    class Meta:
        model = Membership
        django_get_or_create = ("country", "bloc", "since")

    country = factory.SubFactory(CountryFactory, iso2="NL")
    bloc = Bloc.NATO
    since = date(1949, 8, 24)
    basis = MembershipBasis.FOUNDING
    source = "North Atlantic Treaty, Washington 1949"


class EmbargoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Embargo
        django_get_or_create = ("target", "legal_act")

    country = factory.SubFactory(CountryFactory, iso2="RU")
    target = "Russian Federation"
    scope = "Full: ban on export and import of arms and related materiel"
    un_basis = "none (EU autonomous)"
    legal_act = "Council Decision 2014/512/CFSP (31 Jul 2014), as amended"
    since = date(2014, 8, 1)
    since_text = "1 August 2014"
    source = "EUR-Lex, Council Decision 2014/512/CFSP"


class ExternalIdentityFactory(factory.django.DjangoModelFactory):
    """An exporter's eHerkenning pseudonym (ActingSubjectID); (provider, subject) is unique, so a sequence."""

    class Meta:
        model = ExternalIdentity

    provider = IdentityProvider.EHERKENNING
    subject = factory.Sequence(lambda n: f"urn:etoegang:1.9:EntityConcernedID:KvKnr:{10000000 + n:08d}:pseudo{n}")
    user = factory.SubFactory(UserFactory, organisation=factory.SubFactory(OrganisationFactory), roles=[Role.EXPORTER])


class StaffRoleMappingFactory(factory.django.DjangoModelFactory):
    """One value of the staff SSO's role claim giving the licensing officer role; (claim, role) is unique."""

    class Meta:
        model = StaffRoleMapping

    claim_value = factory.Sequence(lambda n: f"cn=register-officers-{n},ou=groups,o=ministry")
    role = Role.OFFICER
    is_active = True


class SignInPolicyFactory(factory.django.DjangoModelFactory):
    """The one sign-in policy row (id=1, a CheckConstraint): get-or-create, so a second call returns it."""

    class Meta:
        model = SignInPolicy
        django_get_or_create = ("id",)

    id = 1
    exporter_passwords_enabled = True


class RoleGrantFactory(factory.django.DjangoModelFactory):
    """A pending request by one administrator to make someone a licensing officer (four eyes).

    `decided=True` approves it by a second administrator (never the requester: a CheckConstraint).
    """

    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    role = Role.OFFICER
    reason = "Joins the licensing team on 1 March; needs to handle applications."
    requested_by = factory.SubFactory(UserFactory, roles=[Role.ADMINISTRATOR])
    status = RoleGrantStatus.PENDING

    class Params:
        decided = factory.Trait(
            status=RoleGrantStatus.APPROVED,
            decided_by=factory.SubFactory(UserFactory, roles=[Role.ADMINISTRATOR]),
            decided_at=factory.LazyFunction(timezone.now),
        )


def nl_treaty_accession(since: date = date(2022, 6, 9)) -> Membership:
    """A HYPOTHETICAL Dutch accession to the treaty (the Netherlands is acceding; its date is data), well before the
    dates a test uses: notifications and objections need the home state to be a party on their date."""
    membership, _ = Membership.objects.get_or_create(
        country_id="NL",
        bloc=Bloc.TREATY,
        since=since,
        defaults={"basis": MembershipBasis.HYPOTHETICAL, "note": "Test fixture: hypothetical accession."},
    )
    return membership
