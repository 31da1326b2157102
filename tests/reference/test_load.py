import os
import zoneinfo

import pytest
import tzdata
from django.core.management import call_command
from django.utils import translation

from deepdive.core.models import AuditEntry
from deepdive.reference import queries
from deepdive.reference.models import (
    ActionGroup,
    Country,
    Criterion,
    Outcome,
    Output,
    PartnerType,
    PathfinderCountry,
    Sector,
    Theme,
)
from deepdive.reference.operations import country_rows, load_reference_data
from deepdive.reference.regions import IloRegion, M49Region

pytestmark = pytest.mark.django_db

ISO3166_TAB = os.path.join(os.path.dirname(tzdata.__file__), "zoneinfo", "iso3166.tab")


def iso3166_codes() -> set[str]:
    with open(ISO3166_TAB, encoding="utf-8") as table:
        return {line.split("\t")[0] for line in table if line.strip() and line[0] != "#"}


def test_counts(reference_data):
    assert ActionGroup.objects.count() == 4
    assert Outcome.objects.count() == 4
    assert Output.objects.count() == 16
    assert Criterion.objects.count() == 4
    assert Theme.objects.count() == 3
    assert Sector.objects.count() == 8
    assert PartnerType.objects.count() == 10
    assert PathfinderCountry.objects.count() == 15
    assert Country.objects.count() == len(iso3166_codes())


def test_outputs_per_outcome_of_the_2024_workplan(reference_data):
    outcomes = queries.outcomes("supply_chains")
    assert [(o.number, o.outputs.count()) for o in outcomes] == [(1, 5), (2, 3), (3, 4), (4, 4)]
    output = Output.objects.get(outcome__number=1, number=5)
    assert output.text == "Report published on the profits and poverty of child labour."
    assert str(output) == "Output 1.5"
    assert output.source.startswith("Updated Workplan of the Alliance 8.7 Supply Chains")
    assert output.as_of.year == 2024
    assert str(outcomes[3]) == "Outcome 4. Accelerating action in key countries and supply chains"


def test_codes_the_other_areas_use(reference_data):
    assert set(Theme.objects.values_list("code", flat=True)) == {
        "child_labour",
        "forced_labour",
        "human_trafficking",
    }
    assert set(Sector.objects.filter(is_key_sector=True).values_list("code", flat=True)) == {
        "mining",
        "cocoa",
        "coffee",
        "cotton_garment",
        "fishing",
    }
    assert set(
        PartnerType.objects.filter(is_social_partner=True).values_list("code", flat=True)
    ) == {
        "workers_organisation",
        "employers_organisation",
    }
    assert ActionGroup.objects.get(code="supply_chains").chairs == "ILO (chair)"
    assert ActionGroup.objects.get(code="migration").chairs == "IOM and UNICEF (co-chairs)"
    assert list(Criterion.objects.values_list("code", flat=True)) == [
        "labour_standards",
        "root_causes",
        "scalability",
        "innovation",
    ]


def test_every_row_says_where_it_comes_from(reference_data):
    for model in (ActionGroup, Outcome, Output, Criterion, Theme, Sector, PartnerType):
        assert not model.objects.filter(source="").exists(), model
    assert not Country.objects.filter(source="").exists()
    assert not Country.objects.filter(as_of=None).exists()
    for pathfinder in PathfinderCountry.objects.all():
        assert pathfinder.source == (
            "Alliance 8.7 Global Coordinating Group briefing pack, New York, 17 July 2019 "
            "(Pathfinder Countries: formal manifestations of interest)"
        )
        assert pathfinder.as_of.isoformat() == "2019-07-17"


def test_loading_again_creates_nothing_and_keeps_edits(reference_data):
    Country.objects.filter(code="CI").update(name="Ivory Coast (edited)")
    Theme.objects.filter(code="child_labour").update(name="Child labour (edited)")
    Output.objects.filter(outcome__number=2, number=3).update(text="Edited text")
    entries = AuditEntry.objects.count()

    created = load_reference_data()

    assert set(created) >= {"action_groups", "outcomes", "outputs", "countries"}
    assert all(count == 0 for count in created.values()), created
    assert Country.objects.get(code="CI").name == "Ivory Coast (edited)"
    assert Theme.objects.get(code="child_labour").name == "Child labour (edited)"
    assert Output.objects.get(outcome__number=2, number=3).text == "Edited text"
    assert AuditEntry.objects.count() == entries


def test_loading_restores_only_what_is_missing(reference_data):
    Output.objects.filter(outcome__number=3, number=4).delete()
    Country.objects.filter(code="NP").delete()  # its Pathfinder row goes with it
    Sector.objects.filter(code="other").delete()

    created = load_reference_data()

    assert created["outputs"] == 1
    assert created["countries"] == 1
    assert created["pathfinder_countries"] == 1
    assert created["sectors"] == 1
    assert created["outcomes"] == 0
    assert AuditEntry.objects.filter(action="reference.load").count() == 2


def test_first_load_reports_what_it_created(db):
    created = load_reference_data()
    assert created["action_groups"] == 4
    assert created["outputs"] == 16
    assert created["countries"] == len(iso3166_codes())
    assert AuditEntry.objects.filter(action="reference.load").count() == 1


def test_management_command(db, capsys):
    call_command("load_reference")
    assert "action groups: 4 created" in capsys.readouterr().out
    call_command("load_reference")
    assert "action groups: 0 created" in capsys.readouterr().out


def test_ilo_regions(reference_data):
    region = queries.ilo_region_of()
    for code in ("MA", "TN", "MR", "DZ", "EG", "LY", "SD"):
        assert region[code] == IloRegion.AFRICA, code
    for code in ("JO", "LB", "SA", "AE", "PS", "YE", "BH", "IQ", "KW", "OM", "QA", "SY"):
        assert region[code] == IloRegion.ARAB_STATES, code
    assert {c for c, r in region.items() if r == IloRegion.ARAB_STATES} == {
        "BH", "IQ", "JO", "KW", "LB", "OM", "QA", "SA", "SY", "AE", "YE", "PS",
    }  # fmt: skip
    for code in ("IL", "TR", "GE", "AM", "AZ", "KZ", "KG", "TJ", "TM", "UZ", "FR"):
        assert region[code] == IloRegion.EUROPE_CENTRAL_ASIA, code
    for code in ("IR", "AF", "IN", "CN", "VN", "FJ", "NC"):
        assert region[code] == IloRegion.ASIA_PACIFIC, code
    for code in ("MX", "HT", "BR", "US", "GL"):
        assert region[code] == IloRegion.AMERICAS, code
    assert region["RE"] == IloRegion.AFRICA


def test_m49_regions(reference_data):
    def m49(code):
        country = Country.objects.get(code=code)
        return country.m49_region, country.m49_subregion

    assert m49("MX") == (M49Region.AMERICAS, "Latin America and the Caribbean")
    assert m49("GT") == (M49Region.AMERICAS, "Latin America and the Caribbean")
    assert m49("US") == (M49Region.AMERICAS, "Northern America")
    assert m49("SD") == (M49Region.AFRICA, "Northern Africa")
    assert m49("NG") == (M49Region.AFRICA, "Western Africa")
    assert m49("TR") == (M49Region.ASIA, "Western Asia")
    assert m49("NP") == (M49Region.ASIA, "Southern Asia")
    assert m49("FJ") == (M49Region.OCEANIA, "Melanesia")
    assert m49("AQ") == (M49Region.ANTARCTICA, "")
    assert set(Country.objects.values_list("m49_region", flat=True)) == set(M49Region.values)


def test_every_iso3166_code_is_a_country(reference_data):
    assert set(Country.objects.values_list("code", flat=True)) == iso3166_codes()


def test_the_csv_is_clean():
    rows = country_rows()
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    assert set(codes) == iso3166_codes()
    for row in rows:
        assert row["ilo_region"] in IloRegion.values, row
        assert row["m49_region"] in M49Region.values, row
        assert row["name"].strip() == row["name"] != "", row
        assert row["m49_subregion"] or row["code"] == "AQ", row


def test_every_timezone_is_known_to_zoneinfo(reference_data):
    available = zoneinfo.available_timezones()
    for code, zone in Country.objects.values_list("code", "timezone"):
        assert zone in available, code
        zoneinfo.ZoneInfo(zone)
    assert Country.objects.get(code="FR").timezone == "Europe/Paris"
    assert Country.objects.get(code="US").timezone == "America/New_York"


def test_localized_country_names(reference_data):
    ivory_coast = Country.objects.get(code="CI")
    assert ivory_coast.localized_name("fr") == "Côte d’Ivoire"
    with translation.override("fr"):
        assert str(ivory_coast) == "Côte d’Ivoire"
        assert dict(queries.country_choices())["DE"] == "Allemagne"
    assert ivory_coast.localized_name("es") == "Côte d’Ivoire"


def test_pathfinder_countries(reference_data):
    assert queries.pathfinder_codes() == set("AL CL FJ MG MW MR MX MA NP NG PE LK TN UG VN".split())
    assert queries.is_pathfinder("vn")
    assert not queries.is_pathfinder("FR")


def test_countries_by_region(reference_data):
    by_region = queries.countries_by_region()
    assert list(by_region) == list(IloRegion.values)
    assert sum(len(countries) for countries in by_region.values()) == Country.objects.count()
    assert "MA" in {c.code for c in by_region[IloRegion.AFRICA]}
    assert "Western Africa" in queries.countries_by_region("m49_subregion")
    with pytest.raises(ValueError):
        queries.countries_by_region("name")
