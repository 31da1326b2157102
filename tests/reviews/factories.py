"""Shared factories for the review tests (pool, assignment, reviewing).

Built on tests/proposals/factories.py. Every reviewer factory builds its own call unless given
one; pass ``call=`` (or ``reviewer__call=``) to put several objects in the same call:

    round_ = ReviewRoundFactory()
    reviewer = ReviewerFactory(call=round_.call)
    assignment = AssignmentFactory(reviewer=reviewer)  # a proposal of the reviewer's call
    review = ReviewFactory(reviewer=reviewer, proposal=assignment.proposal)

Users made here have a verified allauth e-mail address (``verified_email=False`` for none) and
addresses distinct from the other factories' (``reviewer{n}@review.example``,
``secretariat{n}@ilo.example``).
"""

from datetime import timedelta

import factory
from django.utils import timezone

from deepdive.reviews.models import Assignment, Review, Reviewer, ReviewRound
from tests.accounts.factories import SecretariatFactory as _SecretariatFactory
from tests.accounts.factories import UserFactory as _AccountUserFactory
from tests.proposals.factories import (
    CallFactory,
    CoSubmitterFactory,
    OrganisationFactory,
    ProposalFactory,
    SeriesFactory,
    sector,
    theme,
)

__all__ = [
    "CRITERIA",
    "AssignmentFactory",
    "CallFactory",
    "CoSubmitterFactory",
    "OrganisationFactory",
    "ProposalFactory",
    "ReviewFactory",
    "ReviewRoundFactory",
    "ReviewerFactory",
    "ReviewerUserFactory",
    "SecretariatFactory",
    "SeriesFactory",
    "sector",
    "theme",
]

# The codes of the four shipped criteria (src/deepdive/reference/data/seed.py).
CRITERIA = ["labour_standards", "root_causes", "scalability", "innovation"]


class ReviewerUserFactory(_AccountUserFactory):
    """An account with a verified e-mail address, language English, zone Europe/Paris."""

    email = factory.Sequence(lambda n: f"reviewer{n}@review.example")
    name = factory.Sequence(lambda n: f"Reviewer {n}")


class SecretariatFactory(_SecretariatFactory):
    """A secretariat account (is_secretariat) with a verified e-mail address."""

    name = factory.Sequence(lambda n: f"Secretariat staff {n}")


class ReviewRoundFactory(factory.django.DjangoModelFactory):
    """A call's review round, open now (from yesterday to in fourteen days)."""

    class Meta:
        model = ReviewRound
        django_get_or_create = ("call",)

    call = factory.SubFactory(CallFactory)
    reviewers_per_proposal = 3
    default_max_load = 8
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    timezone = "Europe/Zurich"


class ReviewerFactory(factory.django.DjangoModelFactory):
    """An active reviewer with an account (accepted). For an invitation not yet answered:
    ``ReviewerFactory(user=None, status="invited", accepted_at=None, email="x@y.example")``.
    Expertise: ``themes=["child_labour"]``, ``sectors=["mining"]`` (codes or rows)."""

    class Meta:
        model = Reviewer
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    user = factory.SubFactory(ReviewerUserFactory)
    email = factory.LazyAttributeSequence(
        lambda o, n: o.user.email if o.user is not None else f"invitee{n}@review.example"
    )
    status = Reviewer.Status.ACTIVE
    min_load = 0
    max_load = None
    regions = factory.LazyFunction(list)
    languages = factory.LazyFunction(lambda: ["en"])
    accepted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Reviewer.Status.ACTIVE else None
    )

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set([theme(t) if isinstance(t, str) else t for t in extracted])

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sectors.set([sector(s) if isinstance(s, str) else s for s in extracted])


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An active assignment of a submitted proposal of the reviewer's call."""

    class Meta:
        model = Assignment

    reviewer = factory.SubFactory(ReviewerFactory)
    proposal = factory.SubFactory(ProposalFactory, call=factory.SelfAttribute("..reviewer.call"))
    status = Assignment.Status.ACTIVE
    affinity = 0.0


class ReviewFactory(factory.django.DjangoModelFactory):
    """A submitted review scoring 3 on every shipped criterion, recommending "maybe".
    For a draft: ``ReviewFactory(status="draft", submitted_at=None)``. It does not create the
    assignment; use ``AssignmentFactory`` first when the test needs one."""

    class Meta:
        model = Review

    reviewer = factory.SubFactory(ReviewerFactory)
    proposal = factory.SubFactory(ProposalFactory, call=factory.SelfAttribute("..reviewer.call"))
    status = Review.Status.SUBMITTED
    scores = factory.LazyFunction(lambda: {code: 3 for code in CRITERIA})
    comments = factory.LazyFunction(dict)
    overall_comment = "Clear and well argued."
    recommendation = Review.Recommendation.MAYBE
    confidence = Review.Confidence.MEDIUM
    submitted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Review.Status.SUBMITTED else None
    )
