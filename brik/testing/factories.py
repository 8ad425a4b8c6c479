"""factory_boy factories for tests. All data synthetic."""

import datetime as dt

import factory

from brik.accounts.models import Organisation, User
from brik.core import choices as c

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = c.OrganisationType.OTHER
    country = "DK"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda o: o.username.capitalize())
    organisation = factory.SubFactory(OrganisationFactory)
    role = c.Role.CASEWORKER
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def referral_kwargs(**overrides) -> dict:
    """Sensible defaults for brik.cases.services.case_refer."""
    values = {
        "referred_on": dt.date(2021, 3, 1),
        "gender": c.Gender.WOMAN,
        "birth_year": 1995,
        "citizenships": ["NG"],
        "identity": {"given_names": "Testa", "family_name": "Syntetisk"},
    }
    values.update(overrides)
    return values
