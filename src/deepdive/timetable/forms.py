"""The timetable's forms: the rules, a webinar's timetable facts (length, audience table,
members only, joining link) and a move (a date and a time in the reference zone).

The forms parse what people type; the rules' consistency (a period or window ending before it
starts…) is checked by ``operations`` and its messages are put beside these fields."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from deepdive.core.forms import ZoneField
from deepdive.series.times import NonexistentLocalTime, local_to_utc
from deepdive.webinars.models import Webinar

from .models import TimetableRules

TIME_RANGE = re.compile(r"^\s*(\d{1,2}:\d{2})\s*(?:-|–|—|to)\s*(\d{1,2}:\d{2})\s*$")
EXTRA_AUDIENCE_ROWS = 3


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_widget() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _parse_clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


class RulesForm(forms.Form):
    reference_timezone = ZoneField(
        label=_lazy("Reference time zone"),
        help_text=_lazy("The daily window and excluded times below are in this zone."),
    )
    first_date = forms.DateField(label=_lazy("First date"), widget=_date_widget())
    last_date = forms.DateField(label=_lazy("Last date"), widget=_date_widget())
    weekdays = forms.TypedMultipleChoiceField(
        label=_lazy("Weekdays"),
        coerce=int,
        choices=[(n, WEEKDAYS[n - 1]) for n in range(1, 8)],
        widget=forms.CheckboxSelectMultiple,
    )
    window_start = forms.TimeField(label=_lazy("Earliest start"), widget=_time_widget())
    window_end = forms.TimeField(label=_lazy("Latest end"), widget=_time_widget())
    excluded = forms.CharField(
        label=_lazy("Excluded times"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("One per line, such as 12:30-14:00 for lunch. No webinar runs then."),
    )
    step_minutes = forms.IntegerField(
        label=_lazy("Minutes between possible starts"),
        min_value=5,
        max_value=240,
        help_text=_lazy("30: webinars can start at 09:00, 09:30, 10:00…"),
    )
    min_days_between = forms.IntegerField(
        label=_lazy("Minimum days between two webinars"), min_value=0, max_value=60
    )
    blackout = forms.CharField(
        label=_lazy("Blackout dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_lazy(
            "One per line: the date, then what it is, such as 2027-04-05 Easter Monday. "
            "Holidays, UN observances, other events."
        ),
    )
    audience_start = forms.TimeField(
        label=_lazy("Attendees available from"),
        widget=_time_widget(),
        help_text=_lazy("In each attendee's own time zone."),
    )
    audience_end = forms.TimeField(
        label=_lazy("Attendees available until"),
        widget=_time_widget(),
        help_text=_lazy("In each attendee's own time zone."),
    )

    def __init__(self, *args: Any, rules: TimetableRules, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "reference_timezone": rules.reference_timezone,
                "first_date": rules.first_date,
                "last_date": rules.last_date,
                "weekdays": list(rules.weekdays),
                "window_start": rules.window_start,
                "window_end": rules.window_end,
                "excluded": "\n".join(f"{a}-{b}" for a, b in rules.excluded or []),
                "step_minutes": rules.step_minutes,
                "min_days_between": rules.min_days_between,
                "blackout": "\n".join(
                    f"{b['date']} {b.get('label', '')}".strip() for b in rules.blackout or []
                ),
                "audience_start": rules.audience_start,
                "audience_end": rules.audience_end,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_excluded(self) -> list[list[str]]:
        ranges, wrong = [], []
        for line in re.split(r"[\n,;]+", self.cleaned_data["excluded"]):
            if not line.strip():
                continue
            match = TIME_RANGE.match(line)
            try:
                if not match:
                    raise ValueError
                a, b = _parse_clock(match[1]), _parse_clock(match[2])
            except ValueError:
                wrong.append(line.strip())
                continue
            ranges.append([a.strftime("%H:%M"), b.strftime("%H:%M")])
        if wrong:
            raise forms.ValidationError(
                _("Write each excluded time as 12:30-14:00; not understood: %(lines)s")
                % {"lines": ", ".join(f"“{w}”" for w in wrong)}
            )
        return ranges

    def clean_blackout(self) -> list[dict[str, str]]:
        items, wrong, seen = [], [], set()
        for line in self.cleaned_data["blackout"].splitlines():
            if not line.strip():
                continue
            day, _space, label = line.strip().partition(" ")
            try:
                on = date.fromisoformat(day)
            except ValueError:
                wrong.append(line.strip())
                continue
            if on.isoformat() not in seen:
                seen.add(on.isoformat())
                items.append({"date": on.isoformat(), "label": label.strip()})
        if wrong:
            raise forms.ValidationError(
                _(
                    "Start each line with a date written 2027-04-05, then what it is; "
                    "not understood: %(lines)s"
                )
                % {"lines": ", ".join(f"“{w}”" for w in wrong)}
            )
        return items


class WebinarForm(forms.Form):
    """Length, members only, joining link, and the audience as rows of (zone, weight): the
    current zones plus a few empty rows to add some."""

    minutes = forms.TypedChoiceField(
        label=_lazy("Length"),
        coerce=int,
        choices=Webinar.Length.choices,
        widget=forms.RadioSelect,
    )
    members_only = forms.BooleanField(
        label=_lazy("For Alliance members only"),
        required=False,
        help_text=_lazy("Listed publicly without the joining link."),
    )
    joining_url = forms.URLField(
        label=_lazy("Joining link"),
        required=False,
        assume_scheme="https",
        help_text=_lazy("The address of the online meeting."),
    )

    def __init__(self, *args: Any, webinar: Webinar, audience: Mapping[str, float], **kwargs: Any):
        initial = {
            "minutes": webinar.minutes,
            "members_only": webinar.members_only,
            "joining_url": webinar.joining_url,
        }
        for i, (zone, weight) in enumerate(audience.items()):
            initial[f"zone_{i}"] = zone
            initial[f"weight_{i}"] = weight
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        count = len(audience) + EXTRA_AUDIENCE_ROWS
        if self.is_bound:  # keep the rows that were posted, however many
            posted = [int(m[1]) for key in self.data if (m := re.fullmatch(r"zone_(\d+)", key))]
            count = max([count, *(n + 1 for n in posted)])
        self.row_count = min(count, 60)
        for i in range(self.row_count):
            self.fields[f"zone_{i}"] = ZoneField(
                label=_("Time zone, row %(n)s") % {"n": i + 1}, required=False
            )
            self.fields[f"weight_{i}"] = forms.FloatField(
                label=_("Weight, row %(n)s") % {"n": i + 1},
                required=False,
                min_value=0,
                widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
            )

    def audience_rows(self):
        return [(self[f"zone_{i}"], self[f"weight_{i}"]) for i in range(self.row_count)]

    def clean(self):
        data = super().clean()
        audience: dict[str, float] = {}
        for i in range(self.row_count):
            zone, weight = data.get(f"zone_{i}"), data.get(f"weight_{i}")
            if f"weight_{i}" in self.errors:
                continue
            if zone and weight is None:
                self.add_error(f"weight_{i}", _("Give this zone a weight."))
            elif weight is not None and not zone:
                if weight:
                    self.add_error(f"zone_{i}", _("Choose the zone this weight is for."))
            elif zone:
                if zone in audience:
                    self.add_error(f"zone_{i}", _("This zone is already in the table."))
                else:
                    audience[zone] = weight
        data["audience"] = audience
        return data


class MoveForm(forms.Form):
    """A new start: a date and a time in the reference zone."""

    date = forms.DateField(label=_lazy("Date"), widget=_date_widget())
    time = forms.TimeField(label=_lazy("Time"), widget=_time_widget())

    def __init__(self, *args: Any, zone: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["time"].help_text = _("In %(zone)s.") % {"zone": zone.replace("_", " ")}

    def clean(self):
        data = super().clean()
        day, at = data.get("date"), data.get("time")
        if day is not None and at is not None:
            try:
                data["start"] = local_to_utc(datetime.combine(day, at), self.zone)
            except NonexistentLocalTime:
                self.add_error(
                    "time",
                    _(
                        "%(time)s does not exist on %(date)s in %(zone)s: the clocks go "
                        "forward then. Choose another time."
                    )
                    % {
                        "time": at.strftime("%H:%M"),
                        "date": date_format(day, "DATE_FORMAT"),
                        "zone": self.zone.replace("_", " "),
                    },
                )
        return data


class RepeatWindowForm(forms.Form):
    """The daily window in which to look for a repeat session (the secretariat may widen the
    rules' window for it): from and to, times in the reference zone."""

    repeat_from = forms.TimeField(label=_lazy("Repeat may start from"), widget=_time_widget())
    repeat_to = forms.TimeField(label=_lazy("Repeat must end by"), widget=_time_widget())

    def __init__(self, *args: Any, zone: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("repeat_from", "repeat_to"):
            self.fields[name].help_text = _("In %(zone)s.") % {"zone": zone.replace("_", " ")}

    def clean(self):
        data = super().clean()
        start, end = data.get("repeat_from"), data.get("repeat_to")
        if start is not None and end is not None and end <= start:
            self.add_error("repeat_to", _("The end must come after the start."))
        return data
