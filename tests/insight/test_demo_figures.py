"""The reports on the demo, as the secretariat reads them (the pages' data tables and the XLSX
exports), against figures counted here from the demo's records: the workplan coverage, the
diversity of the series, the participation (with the suppression rule stated here, not called)
and the feedback ratings. Nothing of the demo is written here: each figure is worked out from
the rows ``load_demo`` made, so the test holds whatever the demo holds."""

import io
import re
from collections import Counter
from html.parser import HTMLParser
from statistics import mean

import pytest
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from deepdive.accounts.models import User
from deepdive.demo.operations import load_demo
from deepdive.directory.models import Affiliation
from deepdive.proposals.models import CoSubmitter, Proposal
from deepdive.reference.models import Country, Output, PartnerType, Theme
from deepdive.reference.regions import IloRegion
from deepdive.selection.models import Decision
from deepdive.series.models import Call, Series
from deepdive.webinars.models import Attendance, Feedback, Registration, Webinar

PASSWORD = "demo-pass-123"
HIDDEN = "fewer than 5"
UNKNOWN = "unknown"
HELD = (Webinar.State.HELD, Webinar.State.RECORDING_PUBLISHED)
# People holding a seat: cancelled, waiting and unconfirmed registrations apart.
SEATED = (Registration.Status.REGISTERED, Registration.Status.OFFERED)


@pytest.fixture(scope="module")
def demo_series(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module in a transaction undone at its end; each test
    runs inside it (in a savepoint of its own)."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(password=PASSWORD)
        series = Series.objects.get()
        yield series
        transaction.set_rollback(True)


@pytest.fixture
def secretariat(db, demo_series, client):
    client.force_login(User.objects.get(email="secretariat@example.org"))
    return client


# ------------------------------------------------------------------------ reading what is shown


class Tables(HTMLParser):
    """The tables of a page: {caption: the body's rows, each a list of its cells' texts}."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: list[str] | None = None
        self._cell: list[str] | None = None
        self._rows: list[list[str]] = []
        self._in_head = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows = []
        elif tag == "caption":
            self._caption = []
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self._rows.append([])
        elif tag in ("td", "th") and not self._in_head:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            caption = " ".join("".join(self._caption).split())
            assert caption not in self.tables, f"two tables named {caption!r}"
            self.tables[caption] = self._rows
            self._caption = None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join(" ".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def page_tables(client, url) -> tuple[str, dict[str, list[list[str]]]]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html, Tables(html).tables


def workbook(client, url):
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def sheet_rows(book, title) -> list[list]:
    return [[cell.value for cell in row] for row in book[title[:31]].iter_rows(min_row=2)]


def page_count(text: str) -> int | None:
    """A count as the page shows it: a number, or hidden."""
    if text == HIDDEN:
        return None
    assert re.fullmatch(r"\d+", text), text
    return int(text)


def sheet_count(value) -> int | None:
    """A count as the XLSX holds it: a number (never a number as text), or hidden."""
    if value == HIDDEN:
        return None
    assert isinstance(value, int), repr(value)
    return value


def by_label(rows, read) -> dict[str, tuple]:
    table = {str(row[0]): tuple(read(v) for v in row[1:]) for row in rows}
    assert len(table) == len(rows), "two rows with the same label"
    return table


# ------------------------------------------------------------------------ the suppression rule


def assert_suppressed(shown: dict[str, int | None], counts: dict[str, int], what: str) -> None:
    """The rule, stated here: a group of fewer than 5 people is hidden; a group of no one
    shows 0 (it names no one) and takes no part in the rule; when exactly one group (of
    several with people) is hidden, one of the smallest other groups is hidden too, so the
    hidden one cannot be worked out from the total. Every other group shows its count."""
    assert set(shown) == set(counts), what
    people = {label: n for label, n in counts.items() if n}
    small = {label for label, n in people.items() if n < 5}
    hidden = {label for label, value in shown.items() if value is None}
    for label, value in shown.items():
        assert value is None or value == counts[label], f"{what}: {label}"
    assert not (hidden - set(people)), f"{what}: a group of no one hidden"
    if len(small) == 1 and len(people) > 1:
        (extra,) = hidden - small
        others = [n for label, n in people.items() if label not in small]
        assert people[extra] == min(others), f"{what}: {extra} is not the next smallest"
        assert hidden == small | {extra}, what
    else:
        assert hidden == small, what


def assert_breakdown(table: dict[str, tuple], expected: dict[str, tuple[int, int]], what: str):
    """``table`` (label → (registered, attended) as shown) against the counts of the records."""
    groups = {label for label, (r, a) in expected.items() if r or a}
    assert set(table) == groups, what
    for column, name in ((0, "registered"), (1, "attended")):
        assert_suppressed(
            {label: values[column] for label, values in table.items()},
            {label: expected[label][column] for label in groups},
            f"{what}, {name}",
        )


# ------------------------------------------------------------------------ counting the records


def scheduled(series) -> list[Webinar]:
    """The webinars a participation report covers: the series' webinars given a time."""
    return list(
        Webinar.objects.filter(proposal__call__series=series, starts_at__isnull=False)
        .select_related("proposal")
        .order_by("starts_at", "pk")
    )


def participation_counts(series) -> dict[str, dict[str, tuple[int, int]]]:
    """{breakdown title: {group label: (registered, attended)}}, counted row by row."""
    webinars = scheduled(series)
    registrations = list(
        Registration.objects.filter(webinar__in=webinars, status__in=SEATED).select_related(
            "organisation__partner_type", "webinar__proposal"
        )
    )
    attendance = list(
        Attendance.objects.filter(webinar__in=webinars, counted_as_host=False).select_related(
            "registration__organisation__partner_type", "webinar__proposal"
        )
    )
    countries = {c.code: c for c in Country.objects.all()}
    partner_types = {p.code: str(p) for p in PartnerType.objects.all()}
    members = set(
        Affiliation.objects.filter(status=Affiliation.Status.VERIFIED).values_list(
            "user_id", flat=True
        )
    )
    sexes = dict(Registration.Sex.choices)
    regions = dict(IloRegion.choices)

    def groups(r: Registration | None, webinar: Webinar) -> dict[str, str]:
        """The groups of a person; one who attended without registering: unknown."""
        if r is None:
            return {
                "Per webinar": webinar.title,
                "By sex": UNKNOWN,
                "By ILO region": UNKNOWN,
                "By partner type": UNKNOWN,
                "Members and public": "public",
                "By time zone": UNKNOWN,
            }
        country = countries.get(r.country)
        region = country.ilo_region if country else ""
        kind = r.organisation.partner_type.code if r.organisation else r.partner_type
        return {
            "Per webinar": webinar.title,
            "By sex": str(sexes[r.sex]) if r.sex else UNKNOWN,
            "By ILO region": str(regions[region]) if region else UNKNOWN,
            "By partner type": partner_types.get(kind or "", UNKNOWN),
            "Members and public": (
                "member (verified affiliation)" if r.user_id in members else "public"
            ),
            "By time zone": r.timezone or UNKNOWN,
        }

    registered: dict[str, Counter] = {}
    attended: dict[str, Counter] = {}
    for r in registrations:
        for title, label in groups(r, r.webinar).items():
            registered.setdefault(title, Counter())[label] += 1
    for row in attendance:
        for title, label in groups(row.registration, row.webinar).items():
            attended.setdefault(title, Counter())[label] += 1
    titles = set(registered) | set(attended)
    counts = {
        title: {
            label: (registered.get(title, Counter())[label], attended.get(title, Counter())[label])
            for label in set(registered.get(title, {})) | set(attended.get(title, {}))
        }
        for title in titles
    }
    counts["Totals"] = {"Total": (len(registrations), len(attendance))}
    return counts


# ------------------------------------------------------------------------ the reports


def test_participation_on_the_page_and_in_the_export(secretariat, demo_series):
    expected = participation_counts(demo_series)
    url = reverse("insight:participation", kwargs={"slug": demo_series.slug})
    html, tables = page_tables(secretariat, url)
    book = workbook(secretariat, url)

    total_registered, total_attended = expected["Totals"]["Total"]
    assert total_registered > 0
    shown_totals = re.search(
        r"<dt>Registered</dt><dd>(.*?)</dd>\s*<dt>Attended</dt><dd>(.*?)</dd>", html
    )
    page_totals = tuple(page_count(v) for v in shown_totals.groups())
    for shown, n in zip(page_totals, (total_registered, total_attended), strict=True):
        assert shown == (n if n >= 5 else None)
    assert by_label(sheet_rows(book, "Totals"), sheet_count) == {"Total": page_totals}

    for title in (
        "Per webinar",
        "By sex",
        "By ILO region",
        "By partner type",
        "Members and public",
        "By time zone",
    ):
        on_page = by_label(tables[title], page_count)
        in_file = by_label(sheet_rows(book, title), sheet_count)
        assert_breakdown(on_page, expected.get(title, {}), f"{title} (page)")
        assert in_file == on_page, title

    # Every scheduled webinar with a registrant or an attendee has its row.
    assert set(by_label(tables["Per webinar"], page_count)) == {
        w.title
        for w in scheduled(demo_series)
        if w.registrations.filter(status__in=SEATED).exists()
        or w.attendance.filter(counted_as_host=False).exists()
    }


def test_workplan_coverage_on_the_page_and_in_the_export(secretariat, demo_series):
    outputs = list(
        Output.objects.filter(outcome__action_group=demo_series.action_group)
        .select_related("outcome")
        .order_by("outcome__number", "number")
    )
    proposals = list(
        Proposal.objects.filter(
            call__series=demo_series, status=Proposal.Status.SUBMITTED
        ).prefetch_related("outcomes")
    )
    webinars = list(
        Webinar.objects.filter(proposal__call__series=demo_series)
        .exclude(state=Webinar.State.CANCELLED)
        .prefetch_related("outputs", "recordings")
    )
    expected = {}
    for output in outputs:
        linked = [w for w in webinars if output in w.outputs.all()]
        expected[str(output)] = (
            sum(output.outcome in p.outcomes.all() for p in proposals),
            len(linked),
            sum(w.state in HELD for w in linked),
            sum(any(r.published_at for r in w.recordings.all()) for w in linked),
        )
    gaps = [str(o) for o in outputs if not expected[str(o)][1]]
    assert outputs and any(selected for _p, selected, _h, _r in expected.values())

    url = reverse("insight:coverage", kwargs={"slug": demo_series.slug})
    html, tables = page_tables(secretariat, url)
    chart = by_label(tables["Webinars per workplan Output: the figures"], page_count)
    assert chart == expected
    matrix = {
        row[0]: tuple(page_count(v) for v in row[1:5])
        for row in tables["Outcomes and Outputs against the webinars"]
        if len(row) == 6
    }
    assert matrix == {f"{o} {o.display_text()}": expected[str(o)] for o in outputs}
    # The gaps are named, and only they.
    section = html.split('id="gaps-title"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"<li><strong>(.*?)</strong>", section) == gaps

    rows = sheet_rows(workbook(secretariat, url), "Workplan coverage")
    assert {row[1]: tuple(row[3:7]) for row in rows} == expected
    assert all(isinstance(v, int) for row in rows for v in row[3:7])
    assert [row[1] for row in rows if row[7] == "yes"] == gaps


def test_diversity_on_the_page_and_in_the_export(secretariat, demo_series):
    proposals = list(
        Proposal.objects.filter(call__series=demo_series, status=Proposal.Status.SUBMITTED)
        .select_related("lead_organisation__partner_type", "call")
        .prefetch_related(
            "themes", "countries", "lead_organisation__countries", "co_submitters__organisation"
        )
    )
    selected = set(
        Decision.objects.filter(outcome=Decision.Outcome.SELECTED).values_list(
            "proposal_id", flat=True
        )
    )
    held = set(Webinar.objects.filter(state__in=HELD).values_list("proposal_id", flat=True))
    partner_types = {p.code: str(p) for p in PartnerType.objects.all()}
    themes = {t.code: str(t) for t in Theme.objects.all()}
    regions = {code: str(label) for code, label in IloRegion.choices}
    counts: dict[str, dict[str, Counter]] = {}
    per_call: dict[int, Counter] = {}

    def count(dimension: str, labels: set[str], proposal: Proposal) -> None:
        for label in labels:
            found = counts.setdefault(dimension, {}).setdefault(label, Counter())
            found["proposed"] += 1
            found["selected"] += proposal.pk in selected
            found["held"] += proposal.pk in held

    for p in proposals:
        organisations = {p.lead_organisation} | {
            co.organisation
            for co in p.co_submitters.all()
            if co.status == CoSubmitter.Status.CONFIRMED and co.organisation
        }
        countries = list(p.countries.all()) or list(p.lead_organisation.countries.all())
        joint = len(organisations) >= 2
        count("Partner types", {partner_types[o.partner_type.code] for o in organisations}, p)
        count("ILO regions", {regions[c.ilo_region] for c in countries if c.ilo_region}, p)
        count("Themes", {themes[t.code] for t in p.themes.all()}, p)
        count("Joint proposals", {"Yes"} if joint else set(), p)
        line = per_call.setdefault(p.call_id, Counter())
        line["proposed"] += 1
        line["selected"] += p.pk in selected
        line["held"] += p.pk in held
        line["joint"] += joint
    assert proposals and selected and held

    url = reverse("insight:diversity", kwargs={"slug": demo_series.slug})
    html, tables = page_tables(secretariat, url)
    book = workbook(secretariat, url)
    submitted = {p.pk for p in proposals}
    totals = (len(proposals), len(selected & submitted), len(held & submitted))
    shown = re.findall(r"<dt>(Proposals|Selected|Held)</dt><dd>(\d+)</dd>", html)
    assert tuple(int(n) for _name, n in shown) == totals
    assert by_label(sheet_rows(book, "Totals"), sheet_count) == {"Total": totals}
    for dimension, lines in counts.items():
        expected = {label: (c["proposed"], c["selected"], c["held"]) for label, c in lines.items()}
        assert by_label(tables[f"{dimension}: the figures"], page_count) == expected, dimension
        assert by_label(sheet_rows(book, dimension), sheet_count) == expected, dimension

    calls = by_label(tables["Calls side by side: the figures"], page_count)
    for call in Call.objects.filter(series=demo_series):
        line = per_call.get(call.pk, Counter())
        first = calls[call.text("title")]
        assert first[:4] == (line["proposed"], line["selected"], line["held"], line["joint"])


def test_feedback_ratings_on_the_page_and_in_the_export(secretariat, demo_series):
    # The demo may hold no answers yet: a few are added to its held webinars (4 to one: its
    # ratings hidden; 6 to another: shown), on top of any it has.
    first, second = [w for w in scheduled(demo_series) if w.state in HELD][:2]
    for webinar, ratings in ((first, [5, 4, 4, 2]), (second, [5, 5, 3, 1, 4, 4])):
        for rating in ratings:
            Feedback.objects.create(webinar=webinar, usefulness=rating)

    url = reverse("insight:engagement", kwargs={"slug": demo_series.slug})
    _html, tables = page_tables(secretariat, url)
    page_rows = tables["Feedback per webinar"]
    file_rows = sheet_rows(workbook(secretariat, url), "Feedback")
    webinars = scheduled(demo_series)
    assert len(page_rows) == len(file_rows) == len(webinars)
    for webinar, on_page, in_file in zip(webinars, page_rows, file_rows, strict=True):
        ratings = list(
            Feedback.objects.filter(webinar=webinar).values_list("usefulness", flat=True)
        )
        average = round(mean(ratings), 1) if ratings else None
        distribution = [ratings.count(n) for n in range(1, 6)] if len(ratings) >= 5 else None
        assert on_page[0].startswith(webinar.title)
        assert page_count(on_page[1]) == len(ratings)
        assert on_page[2] == (str(average) if ratings else "—")
        if distribution is None:
            assert on_page[3:] == (["fewer than 5 answers: not shown"] if ratings else ["—"]), (
                webinar.title
            )
        else:
            assert [page_count(v) for v in on_page[3:]] == distribution
        assert in_file[0] == webinar.title
        assert in_file[1].date() == webinar.starts_at.date()
        assert in_file[2] == len(ratings)
        assert in_file[3] == average  # an empty cell without answers
        assert [sheet_count(v) for v in in_file[4:]] == (distribution or [None] * 5)
