"""People and reference rows for the series pages' tests (built on the directory factories)."""

from deepdive.directory.models import Affiliation
from deepdive.reference.models import Criterion, Outcome, Sector, Theme
from tests.directory.factories import AffiliationFactory, OrganisationFactory, UserFactory

OUTCOMES = [
    "Advancing research and understanding on child labour, forced labour and human "
    "trafficking in supply chains.",
    "Supporting policy coherence and advocacy at different levels.",
    "Promoting greater cooperation on capacity building and tools.",
    "Accelerating action in key countries and supply chains",
]


def outcomes(group) -> list[Outcome]:
    return [
        Outcome.objects.get_or_create(action_group=group, number=n, defaults={"title": title})[0]
        for n, title in enumerate(OUTCOMES, start=1)
    ]


def themes() -> list[Theme]:
    names = {
        "child_labour": "Child labour",
        "forced_labour": "Forced labour",
        "human_trafficking": "Human trafficking",
    }
    return [Theme.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in names.items()]


def sectors() -> list[Sector]:
    names = {"mining": "Mining", "cocoa": "Cocoa", "fishing": "Fishing"}
    return [Sector.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in names.items()]


def criteria() -> list[Criterion]:
    rows = {
        "labour_standards": (
            "Alignment with international labour standards and approaches",
            "Submissions should reflect alignment with ILO Fundamental Principles and Rights "
            "at Work.",
        ),
        "root_causes": ("Root causes", "Eliminating the root causes."),
        "scalability": ("Scalability of results", "Could be replicated in other contexts."),
        "innovation": ("Innovative nature", "Innovation or unique progress."),
    }
    return [
        Criterion.objects.get_or_create(
            code=code, defaults={"name": name, "description": text, "order": i}
        )[0]
        for i, (code, (name, text)) in enumerate(rows.items())
    ]


def member(group, *, status=Affiliation.Status.VERIFIED, is_member=True):
    """A person affiliated (``status``) to an organisation of ``group``."""
    organisation = OrganisationFactory(is_member=is_member, action_groups=[group])
    return AffiliationFactory(organisation=organisation, status=status).user


def secretariat():
    return UserFactory(is_secretariat=True)


def someone():
    return UserFactory()
