import pytest
from django.template import Context, Template
from django.utils import translation

from deepdive.reference.models import ActionGroup, Criterion, Output, Theme, catalogue

pytestmark = pytest.mark.django_db


def test_shipped_texts_are_shown_through_the_catalogue(reference_data, monkeypatch):
    """Every displayed text goes through gettext, so a catalogue entry translates it."""
    seen = []

    def fake_gettext(text):
        seen.append(text)
        return f"[{text}]"

    monkeypatch.setattr("deepdive.reference.models.gettext", fake_gettext)
    output = Output.objects.get(outcome__number=1, number=5)
    criterion = Criterion.objects.get(code="innovation")
    group = ActionGroup.objects.get(code="supply_chains")

    assert output.display_text() == f"[{output.text}]"
    assert criterion.display_description() == f"[{criterion.description}]"
    assert str(criterion) == "[Innovative nature]"
    assert group.display_description() == f"[{group.description}]"
    assert group.display_chairs() == "[ILO (chair)]"
    assert output.outcome.display_title() == f"[{output.outcome.title}]"
    assert str(Theme.objects.get(code="forced_labour")) == "[Forced labour]"


def test_empty_text_is_not_the_catalogue_header():
    with translation.override("fr"):
        assert catalogue("") == ""


def test_template_filter(reference_data):
    output = Output.objects.get(outcome__number=4, number=2)
    rendered = Template("{% load reference %}{{ output.text|catalogue }}").render(
        Context({"output": output})
    )
    assert rendered.startswith("Dialogue promoted between home and host country governments")


def test_seed_texts_are_marked_for_extraction():
    """``makemessages`` extracts the literal arguments of gettext_noop in seed.py."""
    import ast
    from importlib import resources

    source = resources.files("deepdive.reference.data").joinpath("seed.py").read_text("utf-8")
    tree = ast.parse(source)
    marked = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and isinstance(node.args[0], ast.Constant)
    }
    for model in (ActionGroup, Criterion, Theme):
        for name in model.objects.values_list("name", flat=True):
            assert name in marked
    for text in Output.objects.values_list("text", flat=True):
        assert text in marked
    for description in Criterion.objects.values_list("description", flat=True):
        assert description in marked
