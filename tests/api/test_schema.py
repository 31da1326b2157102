"""The API's OpenAPI schema against the stored snapshot ``tests/api/schema.yaml``: a change to
the API shows in review as a change to that file."""

from pathlib import Path

import yaml
from django.utils import translation
from drf_spectacular.renderers import OpenApiYamlRenderer

from deepdive.api import docs

SNAPSHOT = Path(__file__).with_name("schema.yaml")
UPDATE = ".venv/bin/deepdive spectacular --lang en --validate --file tests/api/schema.yaml"


def test_the_schema_matches_its_snapshot():
    with translation.override("en"):
        current = OpenApiYamlRenderer().render(docs.schema(), renderer_context={})
    assert yaml.safe_load(current) == yaml.safe_load(SNAPSHOT.read_text()), (
        f"The API changed: review the change, then run `{UPDATE}` to update the snapshot."
    )
