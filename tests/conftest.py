import pytest


@pytest.fixture(autouse=True)
def _everything_through_the_outbox(settings):
    """Django's test set-up swaps EMAIL_BACKEND for its mailbox; keep the outbox in front."""
    settings.EMAIL_BACKEND = "deepdive.outbox.backends.OutboxEmailBackend"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate limits, cached reference choices)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a test that activates another one
    (directly, or through a request to a page) must not decide the next test's words."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def _reference_rows(django_db_setup, django_db_blocker):
    """The rows of the shipped reference data (and the audit entry of their loading), worked
    out once per test session: loaded as `make demo` loads them, read back, rolled back."""
    from django.db import transaction

    from deepdive.core.models import AuditEntry
    from deepdive.reference import models
    from deepdive.reference.operations import load_reference_data

    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_data()
        rows = [
            (model, list(model.objects.order_by("pk")))
            for model in (
                models.ActionGroup,
                models.Outcome,
                models.Output,
                models.Criterion,
                models.Theme,
                models.Sector,
                models.PartnerType,
                models.Country,
                models.PathfinderCountry,
            )
        ]
        entries = list(AuditEntry.objects.filter(action="reference.load"))
        transaction.set_rollback(True)
    return rows + [(AuditEntry, entries)]


@pytest.fixture
def reference_data(db, _reference_rows):
    """The reference data shipped with the code, as `make demo` loads it: read once per
    session, written in a few inserts per test (undone with the test)."""
    from django.core.management.color import no_style
    from django.db import connection

    from deepdive.core.models import AuditEntry

    if any(model.objects.exists() for model, _ in _reference_rows[:-1]):
        # A fixture made some reference rows first: add the missing ones around them.
        from deepdive.reference.operations import load_reference_data

        load_reference_data()
        return
    for model, rows in _reference_rows:
        if model is AuditEntry:
            for entry in rows:
                entry.pk = None  # a new audit entry each time
        model.objects.bulk_create(rows)
    # The rows keep their keys: move PostgreSQL's sequences past them (nothing on SQLite).
    reset = connection.ops.sequence_reset_sql(no_style(), [m for m, _ in _reference_rows])
    with connection.cursor() as cursor:
        for statement in reset:
            cursor.execute(statement)
