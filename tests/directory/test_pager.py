"""The directory's pager stays short: at 5,000 organisations (250 pages) it links the first
and last pages and a few around the current one, not every page."""

import re

import pytest
from django.urls import reverse

from deepdive.directory.models import Organisation

from .factories import partner_type

pytestmark = pytest.mark.django_db


def test_the_pager_links_about_ten_pages_at_5000_organisations(client):
    kind = partner_type()
    Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {i:04d}", slug=f"organisation-{i:04d}", partner_type=kind)
        for i in range(5000)
    )
    html = client.get(reverse("directory:list"), {"page": 125}).content.decode()
    pager = html.split('aria-label="Pages of results"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<a href="\?page=(\d+)"', pager)
    assert links == ["124", "1", "123", "124", "126", "127", "250", "126"]  # previous … next
    assert '<span aria-current="page"><strong>125</strong></span>' in pager
    assert pager.count("…") == 2
    first = client.get(reverse("directory:list")).content.decode()
    pager = first.split('aria-label="Pages of results"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<a href="\?page=(\d+)"', pager) == ["2", "3", "250", "2"]
