"""Factories for the directory tests. Reference rows are fetched or created by code, so the
tests work with or without the shipped reference data loaded."""

import factory

from deepdive.accounts.models import User
from deepdive.directory.models import Affiliation, Organisation, OrganisationDomain
from deepdive.reference.models import ActionGroup, Country, PartnerType, Sector, Theme

PASSWORD = "a-Strong-passw0rd!"

COUNTRIES = {
    "FR": ("France", "europe_central_asia", "europe", "Europe/Paris"),
    "GH": ("Ghana", "africa", "africa", "Africa/Accra"),
    "MA": ("Morocco", "africa", "africa", "Africa/Casablanca"),
    "PE": ("Peru", "americas", "americas", "America/Lima"),
    "NP": ("Nepal", "asia_pacific", "asia", "Asia/Kathmandu"),
    "JO": ("Jordan", "arab_states", "asia", "Asia/Amman"),
}


def partner_type(code: str = "civil_society", name: str | None = None) -> PartnerType:
    names = {
        "civil_society": "Civil society organisation",
        "business": "Business",
        "workers_organisation": "Workers' organisation",
        "academic": "Academic institution or think tank",
    }
    return PartnerType.objects.get_or_create(
        code=code, defaults={"name": name or names.get(code, code.replace("_", " ").title())}
    )[0]


def country(code: str) -> Country:
    name, ilo, m49, zone = COUNTRIES[code]
    return Country.objects.get_or_create(
        code=code,
        defaults={"name": name, "ilo_region": ilo, "m49_region": m49, "timezone": zone},
    )[0]


def action_group(code: str = "supply_chains", name: str = "Supply Chains") -> ActionGroup:
    return ActionGroup.objects.get_or_create(code=code, defaults={"name": name})[0]


def theme(code: str = "child_labour", name: str = "Child labour") -> Theme:
    return Theme.objects.get_or_create(code=code, defaults={"name": name})[0]


def sector(code: str = "mining", name: str = "Mining") -> Sector:
    return Sector.objects.get_or_create(code=code, defaults={"name": name})[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.net")
    name = factory.Sequence(lambda n: f"Person {n}")
    is_secretariat = False

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n:03d}")
    slug = factory.Sequence(lambda n: f"organisation-{n:03d}")
    partner_type = factory.LazyFunction(partner_type)

    @factory.post_generation
    def countries(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.countries.set([country(c) if isinstance(c, str) else c for c in extracted])

    @factory.post_generation
    def action_groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.action_groups.set(extracted)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sectors.set(extracted)

    @factory.post_generation
    def domains(obj, create, extracted, **kwargs):
        if create and extracted:
            for domain in extracted:
                OrganisationDomain.objects.create(organisation=obj, domain=domain)


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    position = "Programme officer"
    status = Affiliation.Status.VERIFIED
