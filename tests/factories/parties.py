from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group

from core.roles import Role
from parties.models import Organisation, OrganisationStatus, User

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
