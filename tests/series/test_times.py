"""Wall-clock times in a named zone to UTC, around the 2027 daylight-saving changes."""

from datetime import UTC, datetime

import pytest

from deepdive.series.times import NonexistentLocalTime, UnknownZone, local_to_utc, utc_to_local


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    "zone,local,expected",
    [
        # Europe: summer time starts Sunday 28 March 2027 at 02:00 (clocks to 03:00)...
        ("Europe/Zurich", datetime(2027, 3, 28, 1, 59), utc(2027, 3, 28, 0, 59)),
        ("Europe/Zurich", datetime(2027, 3, 28, 3, 0), utc(2027, 3, 28, 1, 0)),
        ("Europe/Paris", datetime(2027, 3, 29, 9, 0), utc(2027, 3, 29, 7, 0)),
        # ... and ends Sunday 31 October 2027 at 03:00 (clocks back to 02:00): 02:30 happens
        # twice, the first (summer time, UTC+2) is taken.
        ("Europe/Zurich", datetime(2027, 10, 31, 2, 30), utc(2027, 10, 31, 0, 30)),
        ("Europe/Zurich", datetime(2027, 10, 31, 1, 59), utc(2027, 10, 30, 23, 59)),
        ("Europe/Zurich", datetime(2027, 10, 31, 3, 0), utc(2027, 10, 31, 2, 0)),
        # United States: daylight time starts Sunday 14 March 2027 at 02:00...
        ("America/New_York", datetime(2027, 3, 14, 1, 59), utc(2027, 3, 14, 6, 59)),
        ("America/New_York", datetime(2027, 3, 14, 3, 0), utc(2027, 3, 14, 7, 0)),
        # ... and ends Sunday 7 November 2027 at 02:00: 01:30 happens twice, first is EDT.
        ("America/New_York", datetime(2027, 11, 7, 1, 30), utc(2027, 11, 7, 5, 30)),
        ("America/New_York", datetime(2027, 11, 7, 2, 0), utc(2027, 11, 7, 7, 0)),
        ("America/Los_Angeles", datetime(2027, 11, 7, 1, 0), utc(2027, 11, 7, 8, 0)),
        ("UTC", datetime(2027, 3, 28, 2, 30), utc(2027, 3, 28, 2, 30)),
    ],
)
def test_local_to_utc(zone, local, expected):
    assert local_to_utc(local, zone) == expected
    assert local_to_utc(local, zone).tzinfo is UTC


@pytest.mark.parametrize(
    "zone,local",
    [
        ("Europe/Zurich", datetime(2027, 3, 28, 2, 0)),
        ("Europe/Zurich", datetime(2027, 3, 28, 2, 30)),
        ("Europe/Paris", datetime(2027, 3, 28, 2, 59)),
        ("America/New_York", datetime(2027, 3, 14, 2, 30)),
        ("America/Chicago", datetime(2027, 3, 14, 2, 0)),
    ],
)
def test_a_time_in_the_spring_gap_does_not_exist(zone, local):
    with pytest.raises(NonexistentLocalTime) as error:
        local_to_utc(local, zone)
    assert isinstance(error.value, ValueError)
    assert zone in str(error.value)


def test_unknown_zone_and_aware_input_are_refused():
    with pytest.raises(UnknownZone):
        local_to_utc(datetime(2027, 1, 1), "Mars/Olympus_Mons")
    with pytest.raises(ValueError):
        local_to_utc(utc(2027, 1, 1), "Europe/Zurich")


def test_utc_to_local_round_trip():
    assert utc_to_local(utc(2026, 9, 30, 21, 59), "Europe/Zurich") == datetime(2026, 9, 30, 23, 59)
    assert utc_to_local(utc(2027, 10, 31, 0, 30), "Europe/Zurich") == datetime(2027, 10, 31, 2, 30)


def test_geneva_is_not_a_zone_name():
    """Geneva keeps Zurich's time; the IANA database has no Europe/Geneva."""
    with pytest.raises(UnknownZone):
        local_to_utc(datetime(2026, 9, 30, 23, 59), "Europe/Geneva")
