"""The shared widgets: a list of checkboxes with a filter box (Checklist) and the time-zone
field (current zones only, old names mapped, nonsense refused)."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from deepdive.core.forms import ZoneField
from deepdive.core.timezones import current_zones
from deepdive.core.widgets import Checklist

COUNTRIES = [(f"C{n:02}", f"Country {n}") for n in range(30)] + [("CI", "Côte d'Ivoire")]


class CountriesForm(forms.Form):
    countries = forms.MultipleChoiceField(
        label="Countries", choices=COUNTRIES, required=False, widget=Checklist
    )
    few = forms.MultipleChoiceField(
        label="Few", choices=COUNTRIES[:3], required=False, widget=Checklist
    )


def render(form, name) -> str:
    return render_to_string("includes/field.html", {"field": form[name]})


def test_a_checklist_is_a_fieldset_of_checkboxes_with_a_filter_box():
    html = render(CountriesForm(data={"countries": ["CI", "C05"]}), "countries")
    assert re.search(r"<fieldset[^>]*>\s*<legend>Countries</legend>", html)
    assert '<label for="id_countries_filter">Filter the list</label>' in html
    assert '<input type="search" id="id_countries_filter"' in html
    assert 'aria-live="polite"' in html
    assert html.count('type="checkbox"') == len(COUNTRIES)
    assert "style=" not in html and "<script" not in html and " on" not in html.lower()
    # The checked options first, in their own order.
    values = re.findall(r'type="checkbox" name="countries" value="([^"]+)"', html)
    assert values[:2] == ["C05", "CI"]
    assert re.search(r'value="CI" id="id_countries_\d+" checked>', html)


def test_a_short_checklist_has_no_filter_box():
    html = render(CountriesForm(), "few")
    assert "Filter the list" not in html
    assert html.count('type="checkbox"') == 3


def test_a_checklist_posts_like_checkboxes():
    form = CountriesForm(data={"countries": ["CI", "C01"]})
    assert form.is_valid()
    assert form.cleaned_data["countries"] == ["CI", "C01"]


def test_current_zones_leave_out_old_names_and_keep_utc():
    zones = set(current_zones())
    assert {"UTC", "Asia/Kathmandu", "Europe/Kyiv", "America/Argentina/Buenos_Aires"} <= zones
    assert not zones & {"Asia/Katmandu", "US/Eastern", "Etc/GMT+3", "Europe/Kiev", "EST5EDT"}
    assert len(zones) < 450  # 519 names were offered


class ZoneForm(forms.Form):
    zone = ZoneField(label="Zone")


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("Europe/Paris", "Europe/Paris"),
        ("Asia/Katmandu", "Asia/Kathmandu"),
        ("US/Eastern", "America/New_York"),
        ("Etc/UTC", "UTC"),
        (" europe/paris ", "Europe/Paris"),
        ("Paris, France", "Europe/Paris"),
        ("Kathmandu", "Asia/Kathmandu"),
    ],
)
def test_a_zone_is_stored_by_its_current_name(typed, stored):
    form = ZoneForm(data={"zone": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["zone"] == stored


def test_a_french_label_is_understood():
    with translation.override("fr"):
        form = ZoneForm(data={"zone": "Kathmandu, Népal"})
        assert form.is_valid()
    assert form.cleaned_data["zone"] == "Asia/Kathmandu"


@pytest.mark.parametrize("typed", ["Mars/Olympus", "Etc/GMT+3", "nonsense"])
def test_anything_else_is_refused_with_what_was_typed(typed):
    form = ZoneForm(data={"zone": typed})
    assert not form.is_valid()
    assert form.errors["zone"] == [
        f"“{typed}” is not a time zone we know. Type a city or a country and choose from the "
        "list, or give a name such as Europe/Paris."
    ]
    assert f'value="{typed}"' in str(form["zone"])
