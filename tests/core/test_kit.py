"""The kit every service uses: one refusal, named permission checks, one way to change fields
(lock, compare, write, audit), and the named lists of audit actions."""

import ast
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from deepdive.core import audit, changes, permissions
from deepdive.core.models import AuditAction, AuditEntry
from deepdive.core.refusals import Refused
from deepdive.directory.models import Organisation
from tests.accounts.factories import SecretariatFactory, UserFactory
from tests.directory.factories import OrganisationFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "deepdive"


class _NameForm(forms.Form):
    name = forms.CharField()


def test_a_refusal_shows_beside_its_field_and_keeps_what_was_typed():
    form = _NameForm(data={"name": "Ministry of Labour"})
    assert form.is_valid()
    Refused(
        "The call closed at 18:00.", errors={"name": ["This name is taken."], "other": ["Odd."]}
    ).show_on(form)
    assert form.errors["name"] == ["This name is taken."]
    # The general message and a field the form does not have go above the form.
    assert form.non_field_errors() == ["The call closed at 18:00.", "Odd."]
    assert form["name"].value() == "Ministry of Labour"


def test_every_message_of_a_refusal_is_listed_and_it_reads_as_its_message():
    refusal = Refused("Not now.", errors={"title": ["Too long."]})
    assert refusal.messages() == ["Not now.", "Too long."]
    assert str(refusal) == "Not now."
    assert str(Refused(errors={"title": ["Too long."]})) == "Too long."


@pytest.mark.django_db
def test_only_the_secretariat_passes_the_secretariat_check():
    permissions.require_secretariat(SecretariatFactory())
    for someone in (UserFactory(), None):
        with pytest.raises(PermissionDenied):
            permissions.require_secretariat(someone)
    with pytest.raises(PermissionDenied):
        permissions.require_signed_in(None)
    with pytest.raises(PermissionDenied):
        permissions.require(False)


@pytest.mark.django_db
def test_an_update_writes_only_what_changed_and_records_old_and_new():
    secretariat = SecretariatFactory()
    organisation = OrganisationFactory(name="Old name", acronym="ON")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        row = changes.locked(Organisation, pk=organisation.pk)
        changed = changes.update(
            row, actor=secretariat, action="directory.update", name="New name", acronym="ON"
        )
    assert changed == {"name": ["Old name", "New name"]}
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    # Only the changed field (and the time of the change): a concurrent write to another
    # field of the row is kept.
    assert len(updates) == 1 and "acronym" not in updates[0] and "updated_at" in updates[0]
    organisation.refresh_from_db()
    assert organisation.name == "New name"
    entry = audit.history(organisation).get()
    assert entry.actor == secretariat and entry.changes == changed


@pytest.mark.django_db
def test_an_update_that_changes_nothing_writes_and_records_nothing():
    organisation = OrganisationFactory(name="Same")
    with transaction.atomic():
        row = changes.locked(Organisation, pk=organisation.pk)
        assert changes.update(row, actor=None, action="directory.update", name="Same") == {}
    assert not audit.history(organisation).exists()


@pytest.mark.django_db(transaction=True)
def test_a_row_is_locked_only_inside_a_transaction():
    organisation = OrganisationFactory()
    with pytest.raises(RuntimeError):
        changes.locked(Organisation, pk=organisation.pk)


def _recorded_actions() -> list[tuple[str, str]]:
    """Every (file, action) an ``audit.record`` or ``changes.update`` call passes as a string."""
    found = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                        found.append((str(path.relative_to(SRC)), keyword.value.value))
    return found


def test_every_audit_action_is_named_in_its_apps_list():
    # argparse's add_argument(action="store_true") is not an audit action.
    literal = [(f, a) for f, a in _recorded_actions() if a not in {"store_true", "store_false"}]
    assert not literal, f"name these actions in the app's actions.py: {literal}"


def test_action_codes_are_unique_and_each_has_an_english_label():
    audit.discover()
    codes = [member.value for kind in AuditAction.__subclasses__() for member in kind]
    assert len(codes) == len(set(codes))
    assert len(codes) >= 50
    with translation.override("en"):
        for kind in AuditAction.__subclasses__():
            for member in kind:
                assert member.label and member.label != member.value


@pytest.mark.django_db
def test_a_reader_sees_what_was_done_in_their_language_whoever_did_it():
    audit.discover()
    with translation.override("es"):
        entry = audit.record(actor=None, action="proposals.submit", summary="Child labour")
    entry = AuditEntry.objects.get(pk=entry.pk)
    with translation.override("en"):
        english = entry.label
    with translation.override("fr"):
        french = entry.label
    assert english == "Proposal submitted"
    assert french != english and french
    assert entry.summary == "Child labour"
    assert audit.label_of("no.such.action") == "no.such.action"
