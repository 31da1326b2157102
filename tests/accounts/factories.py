import factory
from allauth.account.models import EmailAddress

from deepdive.accounts.models import User
from deepdive.directory.models import Affiliation, Organisation, OrganisationDomain
from deepdive.reference.models import PartnerType

PASSWORD = "a-Strong-passw0rd!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.net")
    name = factory.Sequence(lambda n: f"Person {n}")
    timezone = "Europe/Paris"
    language = "en"
    is_secretariat = False

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        """A verified primary allauth EmailAddress for the account's address (pass False
        for none)."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


class SecretariatFactory(UserFactory):
    email = factory.Sequence(lambda n: f"secretariat{n}@ilo.example")
    is_secretariat = True


def partner_type(code: str = "civil_society_organisation") -> PartnerType:
    kind, _ = PartnerType.objects.get_or_create(
        code=code, defaults={"name": code.replace("_", " ").capitalize()}
    )
    return kind


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    partner_type = factory.LazyFunction(partner_type)
    is_member = True


class OrganisationDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationDomain

    organisation = factory.SubFactory(OrganisationFactory)
    domain = factory.Sequence(lambda n: f"org{n}.example")


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    position = "Programme officer"
    status = Affiliation.Status.PENDING
