"""Reads that the home pages need: a person's dashboard, the manage home, the 403 page."""

from django.db.models.functions import Coalesce
from django.urls import reverse

from deepdive.directory.models import Affiliation, Organisation
from deepdive.outbox import queries as outbox_queries
from deepdive.outbox.models import OutboxMessage
from deepdive.proposals.access import editable_proposals
from deepdive.reviews.queries_pool import invitations_for
from deepdive.reviews.queries_reviewing import my_reviews
from deepdive.series.models import Series
from deepdive.webinars import queries as webinar_queries
from deepdive.webinars import sessions
from deepdive.webinars.models import Registration, Webinar
from deepdive.webinars.registration import manage_token


def pending_organisations(user):
    """The organisations whose affiliation of ``user`` awaits the secretariat's verification
    (what a 403 page names as the reason), by name."""
    return Organisation.objects.filter(
        affiliations__user=user, affiliations__status=Affiliation.Status.PENDING
    ).order_by("name")


def dashboard_for(user) -> dict:
    affiliations = list(
        user.affiliations.select_related("organisation", "organisation__partner_type").order_by(
            "organisation__name"
        )
    )
    verified = [a for a in affiliations if a.status == Affiliation.Status.VERIFIED]
    reviews = my_reviews(user)
    return {
        "review_invitations": list(invitations_for(user)),
        "reviews_assigned": len(reviews),
        "reviews_to_do": sum(1 for r in reviews if r.status in ("to_do", "draft")),
        "proposals": editable_proposals(user).select_related("call").order_by("-updated_at")[:5],
        "affiliations": affiliations,
        "verified_affiliations": verified,
        "is_member_contact": bool(verified),
        "pending_affiliations": [a for a in affiliations if a.status == Affiliation.Status.PENDING],
        "overview": secretariat_overview() if user.is_secretariat else None,
        "hosted_webinars": list(
            Webinar.objects.filter(proposal__in=editable_proposals(user))
            .select_related("proposal__call")
            .order_by("starts_at", "pk")
        ),
        "registrations": my_registrations(user),
    }


def my_registrations(user) -> list[Registration]:
    """The webinars ``user`` is registered for, signed in or (before they had an account)
    with an address now verified in their account, by the start of their own session; each
    with ``session_start`` (that start), ``session_label`` ("Repeat session"/"First session"
    when the webinar has a published repeat, else "") and ``manage_url``, their own page by
    the signed link, where they change or cancel it."""
    registrations = list(
        webinar_queries.registrations_of(user)
        .filter(status=Registration.Status.REGISTERED, webinar__published_at__isnull=False)
        .select_related("webinar__proposal", "webinar__repeat", "repeat")
        .order_by(Coalesce("repeat__starts_at", "webinar__starts_at"), "pk")
    )
    for registration in registrations:
        # Their own session's time, named when the webinar has a published repeat.
        session = registration.session
        registration.session_start = session.starts_at
        registration.session_label = (
            sessions.label(session)
            if registration.repeat_id or sessions.published_repeat(registration.webinar)
            else ""
        )
        registration.manage_url = reverse(
            "webinars:my_registration", kwargs={"token": manage_token(registration)}
        )
    return registrations


def secretariat_overview() -> dict:
    return {
        "affiliations_to_verify": Affiliation.objects.filter(
            status=Affiliation.Status.PENDING
        ).count(),
        "organisations": Organisation.objects.active().count(),
        "outbox_queued": OutboxMessage.objects.filter(
            status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING]
        ).count(),
        "outbox_failed": OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count(),
        "outbox_interrupted": OutboxMessage.objects.filter(
            status=OutboxMessage.Status.INTERRUPTED
        ).count(),
        "outbox_held": outbox_queries.held_count(),
        "outbox_held_url": outbox_queries.held_list_url(),
        "board_series": list(Series.objects.order_by("title")),  # the webinars' boards
    }
