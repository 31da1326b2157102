"""Writes of reference data: loading what ships with the code."""

import csv
from importlib import resources
from typing import Any, TypeVar

from django.db import transaction

from deepdive.core import audit

from . import models
from .actions import ReferenceAction
from .data import seed

COUNTRY_COLUMNS = ["code", "name", "ilo_region", "m49_region", "m49_subregion", "timezone"]


def country_rows() -> list[dict[str, str]]:
    """The rows of ``data/countries.csv``, one dict per country, columns as in its header."""
    text = resources.files("deepdive.reference.data").joinpath("countries.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    if rows and list(rows[0]) != COUNTRY_COLUMNS:
        raise ValueError(f"countries.csv: expected the columns {COUNTRY_COLUMNS}")
    return rows


def load_reference_data() -> dict[str, int]:
    """Create the reference data shipped with the code that the database does not have yet.

    Rows are matched on their key (code; Action Group and number; Outcome and number; country
    code) and never changed once they exist: the secretariat may have edited them. Returns how
    many rows of each kind were created.

    Side effects: one transaction; one audit entry when anything was created.
    """
    with transaction.atomic():
        created = {
            "action_groups": _coded(models.ActionGroup, seed.ACTION_GROUPS),
            "outcomes": 0,
            "outputs": 0,
            "criteria": _coded(models.Criterion, seed.CRITERIA),
            "themes": _coded(models.Theme, seed.THEMES),
            "sectors": _coded(models.Sector, seed.SECTORS),
            "partner_types": _coded(models.PartnerType, seed.PARTNER_TYPES),
            "countries": _countries(),
            "pathfinder_countries": _pathfinders(),
        }
        created["outcomes"], created["outputs"] = _outcomes()
        if any(created.values()):
            audit.record(
                actor=None,
                action=ReferenceAction.LOADED,
                summary="Reference data loaded: "
                + ", ".join(f"{n} {kind}" for kind, n in created.items() if n),
                changes={"created": created},
            )
    return created


# The kinds of reference rows keyed on a code.
Coded = TypeVar(
    "Coded", models.ActionGroup, models.Criterion, models.Theme, models.Sector, models.PartnerType
)


def _coded(model: type[Coded], rows: list[dict[str, Any]]) -> int:
    existing = set(model.objects.values_list("code", flat=True))
    new = [
        model(order=position, **row)
        for position, row in enumerate(rows, start=1)
        if row["code"] not in existing
    ]
    model.objects.bulk_create(new)
    return len(new)


def _outcomes() -> tuple[int, int]:
    groups = {group.code: group for group in models.ActionGroup.objects.all()}
    outcomes_created = outputs_created = 0
    for row in seed.OUTCOMES:
        row = dict(row)
        texts = row.pop("outputs")
        group = groups.get(row.pop("action_group"))
        if group is None:  # the secretariat removed the Action Group
            continue
        outcome, new = models.Outcome.objects.get_or_create(
            action_group=group,
            number=row.pop("number"),
            defaults=row,
        )
        outcomes_created += new
        existing = set(outcome.outputs.values_list("number", flat=True))
        new_outputs = [
            models.Output(
                outcome=outcome, number=number, text=text, source=row["source"], as_of=row["as_of"]
            )
            for number, text in enumerate(texts, start=1)
            if number not in existing
        ]
        models.Output.objects.bulk_create(new_outputs)
        outputs_created += len(new_outputs)
    return outcomes_created, outputs_created


def _countries() -> int:
    existing = set(models.Country.objects.values_list("code", flat=True))
    new = [
        models.Country(**row, **seed.COUNTRIES_SOURCE)
        for row in country_rows()
        if row["code"] not in existing
    ]
    models.Country.objects.bulk_create(new)
    return len(new)


def _pathfinders() -> int:
    existing = set(models.PathfinderCountry.objects.values_list("country_id", flat=True))
    countries = set(models.Country.objects.values_list("code", flat=True))
    new = [
        models.PathfinderCountry(
            country_id=row["country"], source=row["source"], as_of=row["as_of"]
        )
        for row in seed.PATHFINDER_COUNTRIES
        if row["country"] not in existing and row["country"] in countries
    ]
    models.PathfinderCountry.objects.bulk_create(new)
    return len(new)
