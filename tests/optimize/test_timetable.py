"""``deepdive timetable``: the contract in DESIGN.md, checked against a brute force, on
daylight-saving days and through the command line. Pure Python: no database."""

import itertools
import json
import random
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from deepdive.optimize.timetable import (
    Conflict,
    TimetableProblem,
    candidates,
    evaluate,
    naive_plan,
    parse,
    solve,
    solve_json,
    unplaceable,
)
from deepdive.optimize.validation import InputError

ROOT = Path(__file__).resolve().parents[2]
DEEPDIVE = ROOT / ".venv" / "bin" / "deepdive"

ZONES = [
    "America/Mexico_City",
    "America/Bogota",
    "Africa/Abidjan",
    "Europe/Paris",
    "Africa/Nairobi",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Pacific/Fiji",
]

EXAMPLE = {
    "reference_timezone": "Europe/Paris",
    "dates": {
        "from": "2027-01-11",
        "to": "2027-03-26",
        "weekdays": [1, 2, 3, 4],
        "blackout": ["2027-01-01"],
    },
    "window": {"start": "09:00", "end": "18:00", "exclude": [["12:30", "14:00"]]},
    "step_minutes": 30,
    "min_days_between": 6,
    "audience_hours": {"start": "08:00", "end": "20:00"},
    "webinars": [
        {
            "id": "w1",
            "minutes": 60,
            "audience": {"Africa/Abidjan": 40, "Asia/Kathmandu": 10},
            "available": [["2027-01-11", "2027-02-05"]],
        }
    ],
}


def problem_on(
    on: str,
    start: str,
    end: str,
    minutes: int,
    *,
    step: int = 30,
    exclude=(),
    audience=None,
    zone: str = "Europe/Paris",
) -> dict:
    return {
        "reference_timezone": zone,
        "dates": {"from": on, "to": on},
        "window": {"start": start, "end": end, "exclude": [list(pair) for pair in exclude]},
        "step_minutes": step,
        "audience_hours": {"start": "00:00", "end": "23:59"},
        "webinars": [{"id": "w", "minutes": minutes, "audience": audience or {zone: 1}}],
    }


def starts_of(data: dict) -> list[str]:
    return [cand.start.isoformat() for cand in candidates(parse(data))[0]]


# --------------------------------------------------------------------------- brute force


def naive_candidates(
    problem: TimetableProblem,
) -> list[list[tuple[date, datetime, datetime, float]]]:
    """The contract read literally, minute by minute, with no shortcut or cache."""
    tz = ZoneInfo(problem.reference_timezone)
    window = problem.window

    def wall(moment: datetime) -> int:
        return moment.hour * 60 + moment.minute

    def minutes_of(value: time) -> int:
        return value.hour * 60 + value.minute

    out = []
    for webinar in problem.webinars:
        mine = []
        on = problem.dates.first
        while on <= problem.dates.last:
            allowed = (
                on.isoweekday() in problem.dates.weekdays
                and on not in problem.dates.blackout
                and (webinar.available is None or any(a <= on <= b for a, b in webinar.available))
            )
            minute = minutes_of(window.start)
            while allowed and minute <= minutes_of(window.end):
                naive = datetime.combine(on, time(minute // 60, minute % 60))
                start = naive.replace(tzinfo=tz)
                real = start.astimezone(UTC)
                if real.astimezone(tz).replace(tzinfo=None) == naive:  # not in a DST gap
                    end = (real + timedelta(minutes=webinar.minutes)).astimezone(tz)
                    ok = end.date() == on and wall(end) <= minutes_of(window.end)
                    for i in range(webinar.minutes):  # the wall times it passes through
                        local = (real + timedelta(minutes=i)).astimezone(tz)
                        if (
                            local.date() != on
                            or not minutes_of(window.start) <= wall(local) < minutes_of(window.end)
                            or any(
                                minutes_of(a) <= wall(local) < minutes_of(b)
                                for a, b in window.exclude
                            )
                        ):
                            ok = False
                    if ok:
                        total = sum(webinar.audience.values())
                        reached = 0.0
                        for name, weight in webinar.audience.items():
                            ls = real.astimezone(ZoneInfo(name))
                            le = end.astimezone(ZoneInfo(name))
                            if (
                                ls.date() == le.date()
                                and ls.time() >= problem.audience_hours.start
                                and le.time() <= problem.audience_hours.end
                            ):
                                reached += weight
                        reach = reached / total if total > 0 else 0.0
                        mine.append((on, start.astimezone(tz), end, reach))
                minute += problem.step_minutes
            on += timedelta(days=1)
        out.append(mine)
    return out


def brute_force(problem: TimetableProblem) -> float | None:
    """The best Σ reach over all combinations, None when no combination keeps the rules."""
    lists = naive_candidates(problem)
    if any(not mine for mine in lists):
        return None
    spacing = problem.min_days_between
    best = None
    for combo in itertools.product(*lists):
        ok = True
        for (d1, s1, e1, _), (d2, s2, e2, _) in itertools.combinations(combo, 2):
            if s1 < e2 and s2 < e1:
                ok = False
                break
            if spacing >= 1 and abs((d1 - d2).days) < spacing:
                ok = False
                break
        if ok:
            total = sum(c[3] for c in combo)
            best = total if best is None else max(best, total)
    return best


def random_instance(rng: random.Random) -> dict:
    first = date(2027, 1, 1) + timedelta(days=rng.randrange(365))
    if rng.random() < 0.15:  # now and then around a daylight-saving change
        first = rng.choice([date(2027, 3, 26), date(2027, 10, 29), date(2027, 4, 2)])
    span = rng.randrange(1, 5)
    start_hour = rng.randrange(0, 15)
    step = rng.choice([30, 45, 60, 90, 120])
    length = rng.randrange(60, 6 * 60, 15)
    start = start_hour * 60 + rng.choice([0, 15, 30])
    end = min(start + length, 23 * 60 + 59)
    clock = lambda m: f"{m // 60:02d}:{m % 60:02d}"  # noqa: E731
    window = {"start": clock(start), "end": clock(end)}
    if rng.random() < 0.4:
        a = rng.randrange(start, end)
        b = min(a + rng.choice([30, 60, 90]), 23 * 60 + 59)
        if b > a:
            window["exclude"] = [[clock(a), clock(b)]]
    dates = {
        "from": first.isoformat(),
        "to": (first + timedelta(days=span - 1)).isoformat(),
    }
    if rng.random() < 0.3:
        dates["weekdays"] = rng.sample(range(1, 8), rng.randrange(3, 8))
    if rng.random() < 0.2:
        dates["blackout"] = [(first + timedelta(days=rng.randrange(span))).isoformat()]
    hours_start = rng.randrange(5, 11) * 60 + rng.choice([0, 30])
    hours_end = rng.randrange(16, 23) * 60 + rng.choice([0, 30])
    webinars = []
    for i in range(rng.randrange(2, 4)):
        zones = rng.sample(ZONES, rng.randrange(1, 5))
        audience = {
            name: rng.choice([0, 1, 3, 10, 25, 2.5, rng.randrange(0, 50)]) for name in zones
        }
        webinar = {
            "id": f"w{i}",
            "minutes": rng.choice([30, 45, 60, 90, 120]),
            "audience": audience,
        }
        roll = rng.random()
        if roll < 0.03:
            webinar["available"] = []
        elif roll < 0.25:
            day = first + timedelta(days=rng.randrange(span))
            webinar["available"] = [[day.isoformat(), (day + timedelta(days=1)).isoformat()]]
        webinars.append(webinar)
    return {
        "reference_timezone": rng.choice(["Europe/Paris", "America/Bogota", "Asia/Kathmandu"]),
        "dates": dates,
        "window": window,
        "step_minutes": step,
        "min_days_between": rng.choice([0, 0, 1, 2, 3]),
        "audience_hours": {"start": clock(hours_start), "end": clock(hours_end)},
        "webinars": webinars,
    }


@pytest.mark.parametrize("seed", range(120))
def test_matches_brute_force_on_small_instances(seed):
    data = random_instance(random.Random(seed))
    problem = parse(data)
    # the candidates are those of the literal, minute-by-minute reading of the contract
    mine = [
        [(c.on, c.start.isoformat(), c.end.isoformat(), round(c.reach, 12)) for c in cands]
        for cands in candidates(problem)
    ]
    naive = [
        [(on, s.isoformat(), e.isoformat(), round(r, 12)) for on, s, e, r in cands]
        for cands in naive_candidates(problem)
    ]
    assert mine == naive
    best = brute_force(problem)
    result = solve(problem)
    if best is None:
        assert result.status == "infeasible"
        assert result.reason
    else:
        assert result.status == "optimal"
        assert result.total_reach == pytest.approx(best, abs=1e-6)
        # the answer itself keeps every rule
        chosen = {}
        for webinar, cands in zip(problem.webinars, naive_candidates(problem), strict=True):
            start = result.timetable[webinar.id]
            match = [c for c in cands if c[1] == start and c[1].utcoffset() == start.utcoffset()]
            assert len(match) == 1
            chosen[webinar.id] = match[0]
            assert result.reach[webinar.id] == pytest.approx(match[0][3], abs=1e-12)
        for (d1, s1, e1, _), (d2, s2, e2, _) in itertools.combinations(chosen.values(), 2):
            assert not (s1 < e2 and s2 < e1)
            assert abs((d1 - d2).days) >= problem.min_days_between
        assert result.total_reach == sum(result.reach.values())


def test_brute_force_instances_cover_every_kind():
    """The random instances exercise both outcomes and both formulations."""
    statuses, spacings = set(), set()
    for seed in range(120):
        data = random_instance(random.Random(seed))
        spacings.add(min(data["min_days_between"], 1))
        statuses.add(brute_force(parse(data)) is None)
    assert statuses == {True, False}
    assert spacings == {0, 1}


# --------------------------------------------------------------------------- time semantics


def test_spring_gap_starts_are_skipped():
    data = problem_on("2027-03-28", "01:00", "05:00", 30)
    assert starts_of(data) == [
        "2027-03-28T01:00:00+01:00",
        "2027-03-28T01:30:00+01:00",
        "2027-03-28T03:00:00+02:00",
        "2027-03-28T03:30:00+02:00",
        "2027-03-28T04:00:00+02:00",
        "2027-03-28T04:30:00+02:00",
    ]
    # 01:30 + 60 real minutes is 03:30 summer time
    first = candidates(parse(problem_on("2027-03-28", "01:30", "03:30", 60)))[0]
    assert [c.end.isoformat() for c in first] == ["2027-03-28T03:30:00+02:00"]


def test_autumn_repeated_time_counts_once_at_its_first_occurrence():
    data = problem_on("2027-10-31", "02:00", "04:00", 30)
    starts = starts_of(data)
    assert starts.count("2027-10-31T02:30:00+02:00") == 1
    assert not [s for s in starts if s.startswith("2027-10-31T02:") and s.endswith("+01:00")]
    assert starts == [
        "2027-10-31T02:00:00+02:00",
        "2027-10-31T02:30:00+02:00",
        "2027-10-31T03:00:00+01:00",
        "2027-10-31T03:30:00+01:00",
    ]
    # 02:30 is the only start that fits 02:30-03:00, and comes back with +02:00
    answer = solve_json(problem_on("2027-10-31", "02:30", "03:00", 30))
    assert answer["status"] == "optimal"
    assert answer["timetable"] == {"w": "2027-10-31T02:30:00+02:00"}


def test_autumn_webinar_lasts_real_minutes():
    (cand,) = candidates(parse(problem_on("2027-10-31", "01:30", "02:30", 60)))[0]
    assert cand.start.isoformat() == "2027-10-31T01:30:00+02:00"
    assert cand.end.isoformat() == "2027-10-31T02:30:00+02:00"
    assert cand.end.astimezone(UTC) - cand.start.astimezone(UTC) == timedelta(minutes=60)
    # from the first 02:00 or 02:30, 60 real minutes end at the second 02:00 or 02:30
    cands = candidates(parse(problem_on("2027-10-31", "02:00", "03:00", 60)))[0]
    assert [(c.start.isoformat(), c.end.isoformat()) for c in cands] == [
        ("2027-10-31T02:00:00+02:00", "2027-10-31T02:00:00+01:00"),
        ("2027-10-31T02:30:00+02:00", "2027-10-31T02:30:00+01:00"),
    ]
    # an audience in UTC sees the real hour: 23:30-00:30, across its midnight
    data = problem_on("2027-10-31", "01:30", "02:30", 60, audience={"Africa/Abidjan": 1})
    answer = solve_json(data)
    assert answer["timetable"] == {"w": "2027-10-31T01:30:00+02:00"}
    assert answer["reach"] == {"w": 0.0}


def test_window_and_exclusions_on_the_autumn_day_hold_every_wall_time_passed():
    # from 02:00 summer time, 60 real minutes pass through 02:00-02:59 summer time
    assert starts_of(problem_on("2027-10-31", "01:30", "02:30", 60)) == [
        "2027-10-31T01:30:00+02:00"
    ]
    # 02:45 summer time + 30 real minutes = 02:15 winter time: it passes through 02:00-02:15
    data = problem_on("2027-10-31", "02:00", "03:00", 30, step=15, exclude=[("02:00", "02:20")])
    assert "2027-10-31T02:45:00+02:00" not in starts_of(data)
    data = problem_on("2027-10-31", "02:00", "03:00", 30, step=15, exclude=[("02:20", "02:40")])
    assert "2027-10-31T02:45:00+02:00" in starts_of(data)
    assert "2027-10-31T02:30:00+02:00" not in starts_of(data)


def test_spring_gap_is_never_passed_through():
    data = problem_on("2027-03-28", "01:30", "03:30", 60, exclude=[("02:00", "03:00")])
    assert starts_of(data) == ["2027-03-28T01:30:00+01:00"]


def test_lunch_exclusion():
    data = problem_on("2027-01-12", "09:00", "18:00", 60, exclude=[("12:30", "14:00")])
    times = [s[11:16] for s in starts_of(data)]
    assert "11:30" in times  # ends exactly at 12:30
    assert "12:00" not in times
    assert "12:30" not in times and "13:30" not in times
    assert "14:00" in times
    assert times[-1] == "17:00"  # ends exactly at window.end


def test_reach_counts_zones_whose_local_hours_hold_the_webinar():
    # 16:00-17:00 in Paris is 20:45-21:45 in Kathmandu, after its audience hours
    audience = {"Europe/Paris": 3, "Asia/Kathmandu": 1}
    data = problem_on("2027-01-12", "16:00", "17:00", 60, audience=audience)
    data["audience_hours"] = {"start": "08:00", "end": "20:00"}
    answer = solve_json(data)
    assert answer["status"] == "optimal"
    assert answer["timetable"] == {"w": "2027-01-12T16:00:00+01:00"}
    assert answer["reach"] == {"w": 0.75}
    assert answer["total_reach"] == 0.75
    data["webinars"][0]["audience"] = {"Europe/Paris": 0}
    assert solve_json(data)["reach"] == {"w": 0.0}


# --------------------------------------------------------------------------- rules, outcomes


def two_webinars(spacing: int, *, days: int = 2, window=("09:00", "11:00")) -> dict:
    return {
        "reference_timezone": "Europe/Paris",
        "dates": {"from": "2027-02-01", "to": (date(2027, 2, days)).isoformat()},
        "window": {"start": window[0], "end": window[1]},
        "step_minutes": 60,
        "min_days_between": spacing,
        "audience_hours": {"start": "08:00", "end": "20:00"},
        "webinars": [
            {"id": "a", "minutes": 60, "audience": {"Europe/Paris": 1}},
            {"id": "b", "minutes": 60, "audience": {"Asia/Dhaka": 1}},
        ],
    }


def test_spacing_and_overlap():
    # no date rule: both on the morning of 1 February, one after the other
    answer = solve_json(two_webinars(0, days=1))
    assert answer["status"] == "optimal"
    assert sorted(answer["timetable"].values()) == [
        "2027-02-01T09:00:00+01:00",
        "2027-02-01T10:00:00+01:00",
    ]
    # only one start a day: they cannot overlap
    answer = solve_json(two_webinars(0, days=1, window=("09:00", "10:00")))
    assert answer["status"] == "infeasible"
    assert "overlap" in answer["reason"]
    # min_days_between 1: different dates
    answer = solve_json(two_webinars(1))
    assert {v[:10] for v in answer["timetable"].values()} == {"2027-02-01", "2027-02-02"}
    # min_days_between 2 with two consecutive dates
    answer = solve_json(two_webinars(2))
    assert answer["status"] == "infeasible"
    assert "min_days_between = 2" in answer["reason"]
    assert solve_json(two_webinars(2, days=3))["status"] == "optimal"


def test_available_empty_is_infeasible_naming_the_webinar():
    data = json.loads(json.dumps(EXAMPLE))
    data["webinars"].append({"id": "late", "minutes": 60, "audience": {}, "available": []})
    answer = solve_json(data)
    assert answer["status"] == "infeasible"
    assert "'late'" in answer["reason"]
    assert "'w1'" not in answer["reason"]
    assert answer["timetable"] == {}


def test_too_long_webinar_is_infeasible_naming_it():
    data = problem_on("2027-01-12", "09:00", "10:00", 90)
    answer = solve_json(data)
    assert answer["status"] == "infeasible"
    assert "'w'" in answer["reason"] and "90 minutes" in answer["reason"]


def test_no_webinars_is_optimal_and_empty():
    data = {**EXAMPLE, "webinars": []}
    assert solve_json(data) == {
        "status": "optimal",
        "timetable": {},
        "reach": {},
        "total_reach": 0.0,
    }


def test_defaults():
    data = json.loads(json.dumps(EXAMPLE))
    del data["step_minutes"], data["min_days_between"], data["dates"]["weekdays"]
    del data["dates"]["blackout"], data["window"]["exclude"], data["webinars"][0]["available"]
    problem = parse(data)
    assert problem.step_minutes == 30
    assert problem.min_days_between == 0
    assert problem.time_limit_seconds == 60
    assert problem.dates.weekdays == frozenset(range(1, 8))
    assert problem.webinars[0].available is None
    assert problem.window.exclude == ()


# --------------------------------------------------------------------------- command line


def run_cli(text: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DEEPDIVE), "timetable", "--input", "-"],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_design_example():
    data = json.loads(json.dumps(EXAMPLE))
    data["webinars"].append(
        {"id": "w2", "minutes": 60, "audience": {"America/Bogota": 5, "Asia/Dhaka": 1}}
    )
    done = run_cli(json.dumps(data))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    answer = json.loads(done.stdout)
    assert answer["status"] == "optimal"
    assert set(answer["timetable"]) == {"w1", "w2"}
    for start in answer["timetable"].values():
        assert start.endswith("+01:00")  # January and February in Paris
        moment = datetime.fromisoformat(start)
        assert moment.isoweekday() <= 4
    assert answer["timetable"]["w1"] <= "2027-02-05T23:59"
    days = sorted(datetime.fromisoformat(s).date() for s in answer["timetable"].values())
    assert (days[1] - days[0]).days >= 6
    assert answer["total_reach"] == pytest.approx(sum(answer["reach"].values()))
    assert answer["total_reach"] == pytest.approx(2.0)


def _with(path: str, value) -> str:
    """EXAMPLE with ``value`` at ``path`` (dots and [i]); a value of ... deletes the key."""
    data = json.loads(json.dumps(EXAMPLE))
    keys = [
        int(k) if k.isdigit() else k for k in path.replace("[", ".").replace("]", "").split(".")
    ]
    target = data
    for key in keys[:-1]:
        target = target[key]
    if value is ...:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return json.dumps(data)


UNUSABLE = {
    "invalid JSON": ('{"reference_timezone": "Europe/Paris",', "invalid JSON"),
    "unknown key": (_with("window.lunch", ["12:30", "14:00"]), "lunch"),
    "unknown top key": (_with("seats", 3), "seats"),
    "missing key": (_with("audience_hours", ...), "audience_hours"),
    "missing webinar key": (_with("webinars[0].minutes", ...), "minutes"),
    "wrong type": (_with("webinars[0].minutes", "60"), "webinars[0].minutes"),
    "out of range": (_with("step_minutes", 0), "step_minutes"),
    "weekday out of range": (_with("dates.weekdays", [1, 8]), "dates.weekdays[1]"),
    "negative weight": (_with("webinars[0].audience", {"Europe/Paris": -1}), "audience"),
    "duplicate id": (
        _with("webinars", EXAMPLE["webinars"] * 2),
        "duplicate id 'w1'",
    ),
    "unknown time zone": (_with("reference_timezone", "Europe/Atlantis"), "Europe/Atlantis"),
    "unknown audience zone": (_with("webinars[0].audience", {"Mars/Base": 1}), "Mars/Base"),
    "impossible date": (_with("dates.to", "2027-02-30"), "dates.to"),
    "impossible time 24:00": (_with("window.end", "24:00"), "window.end"),
    "impossible time 9:00": (_with("window.start", "9:00"), "window.start"),
    "dates end before start": (_with("dates.to", "2027-01-10"), "dates"),
    "window end before start": (_with("window.end", "08:00"), "window"),
    "exclude end before start": (_with("window.exclude", [["14:00", "12:30"]]), "exclude[0]"),
    "available end before start": (
        _with("webinars[0].available", [["2027-02-05", "2027-01-11"]]),
        "available[0]",
    ),
}


@pytest.mark.parametrize("kind", list(UNUSABLE))
def test_cli_unusable_input(kind):
    text, named = UNUSABLE[kind]
    done = run_cli(text)
    assert done.returncode == 2
    assert done.stdout == ""
    assert named in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        ("audience_hours.end", "07:00", "audience_hours"),
        ("audience_hours.start", ..., "audience_hours"),
        ("dates.weekdays", [1, 1], "dates.weekdays[1]"),
        ("dates.blackout", ["2027-13-01"], "dates.blackout[0]"),
        ("min_days_between", -1, "min_days_between"),
        ("time_limit_seconds", 0, "time_limit_seconds"),
        ("time_limit_seconds", "fast", "time_limit_seconds"),
        ("webinars[0].id", "", "webinars[0].id"),
        ("webinars[0].minutes", 0, "webinars[0].minutes"),
        ("webinars[0].minutes", True, "webinars[0].minutes"),
        ("webinars[0].audience", [], "webinars[0].audience"),
        ("webinars[0].audience", {"Europe/Paris": "many"}, "Europe/Paris"),
        ("webinars[0].available", [["2027-01-11"]], "webinars[0].available[0]"),
        ("webinars[0].available", "2027-01-11", "webinars[0].available"),
        ("window.exclude", [["12:30", "12:30"]], "window.exclude[0]"),
        ("window.exclude", [["12:30", "25:00"]], "window.exclude[0][1]"),
        ("webinars[0].extra", 1, "extra"),
        ("dates.until", "2027-03-01", "until"),
        ("audience_hours.middle", "12:00", "middle"),
        ("webinars", {}, "webinars"),
    ],
)
def test_unusable_input_raises(path, value, named):
    with pytest.raises(InputError, match=named.replace("[", r"\[").replace("]", r"\]")):
        solve_json(json.loads(_with(path, value)))


def test_not_an_object():
    with pytest.raises(InputError, match="expected an object"):
        solve_json([])


def test_cli_output_file(tmp_path):
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    done = subprocess.run(
        [str(DEEPDIVE), "timetable", "--input", str(source), "--output", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    answer = json.loads(target.read_text(encoding="utf-8"))
    assert answer["timetable"]["w1"].endswith("+01:00")
    assert sys.executable  # the CLI runs in the project's own environment


def test_reach_tells_the_two_copies_of_a_repeated_wall_time_apart():
    # from 02:00 summer time (00:00 UTC), 30 minutes end at 02:30 summer time (00:30 UTC) and
    # 90 minutes at 02:30 winter time (01:30 UTC): the same wall time, not the same instant
    data = problem_on("2027-10-31", "02:00", "04:00", 30, step=120, audience={"UTC": 1})
    data["webinars"].append({"id": "long", "minutes": 90, "audience": {"UTC": 1}})
    data["audience_hours"] = {"start": "00:00", "end": "01:00"}
    data["min_days_between"] = 0
    short, long = candidates(parse(data))
    assert [(c.start.isoformat(), c.end.isoformat(), c.reach) for c in short + long] == [
        ("2027-10-31T02:00:00+02:00", "2027-10-31T02:30:00+02:00", 1.0),
        ("2027-10-31T02:00:00+02:00", "2027-10-31T02:30:00+01:00", 0.0),
    ]


# --------------------------------------------------------------------------- checking a plan


@pytest.mark.parametrize("seed", range(60))
def test_evaluate_agrees_with_the_optimiser(seed):
    """The optimiser's answer breaks no rule and has the reach ``evaluate`` computes."""
    problem = parse(random_instance(random.Random(seed)))
    result = solve(problem)
    if result.status != "optimal":
        return
    placements = evaluate(problem, result.timetable)
    assert set(placements) == set(result.timetable)
    for key, placement in placements.items():
        assert placement.conflicts == ()
        assert placement.reach == pytest.approx(result.reach[key], abs=1e-12)


def paris(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=ZoneInfo("Europe/Paris"))


def test_evaluate_names_each_broken_rule():
    data = {
        "reference_timezone": "Europe/Paris",
        "dates": {"from": "2027-03-01", "to": "2027-03-31", "weekdays": [1, 2, 3, 4]},
        "window": {"start": "09:00", "end": "18:00", "exclude": [["12:30", "14:00"]]},
        "min_days_between": 7,
        "audience_hours": {"start": "08:00", "end": "20:00"},
        "webinars": [
            {"id": "a", "minutes": 60, "audience": {"Europe/Paris": 1}},
            {"id": "b", "minutes": 60, "audience": {"Europe/Paris": 1}},
            {
                "id": "c",
                "minutes": 60,
                "audience": {"Europe/Paris": 1},
                "available": [["2027-03-15", "2027-03-19"]],
            },
        ],
    }
    problem = parse(data)
    # a and b overlap on Tuesday 2 March; c is on a Friday, outside its host's dates, at lunch
    found = evaluate(
        problem,
        {
            "a": paris("2027-03-02", "10:00"),
            "b": paris("2027-03-02", "10:30"),
            "c": paris("2027-03-05", "12:00"),
        },
    )
    assert found["a"].conflicts == (Conflict("overlap", "b"), Conflict("too_close", "c"))
    assert found["b"].conflicts == (Conflict("overlap", "a"), Conflict("too_close", "c"))
    assert set(found["c"].conflicts) == {
        Conflict("date"),
        Conflict("window"),
        Conflict("availability"),
        Conflict("too_close", "a"),
        Conflict("too_close", "b"),
    }
    # moved apart, inside the window and the host's dates: nothing to say
    fine = evaluate(
        problem,
        {
            "a": paris("2027-03-02", "10:00"),
            "b": paris("2027-03-09", "16:00"),
            "c": paris("2027-03-16", "14:00"),
        },
    )
    assert all(placement.conflicts == () for placement in fine.values())
    assert fine["c"].end == paris("2027-03-16", "15:00")
    # a start off the step grid is judged as it is
    assert evaluate(problem, {"a": paris("2027-03-02", "17:05")})["a"].conflicts == (
        Conflict("window"),
    )


def test_evaluate_reach_in_kathmandu_and_fiji():
    """14:00 in Paris in January is 18:45 in Kathmandu (+5:45) and 01:00 the next day in Fiji
    (+12 then): Kathmandu is reached, Fiji is not. At 09:00 Fiji is at 21:00, still too late."""
    data = problem_on(
        "2027-01-12", "09:00", "18:00", 60, audience={"Asia/Kathmandu": 1, "Pacific/Fiji": 1}
    )
    data["audience_hours"] = {"start": "08:00", "end": "20:00"}
    problem = parse(data)
    assert evaluate(problem, {"w": paris("2027-01-12", "14:00")})["w"].reach == 0.5
    assert evaluate(problem, {"w": paris("2027-01-12", "09:00")})["w"].reach == 0.5
    # 07:30 in Paris: 12:15 Kathmandu, 19:30 Fiji; both reached, but before the window
    early = evaluate(problem, {"w": paris("2027-01-12", "07:30")})["w"]
    assert early.reach == 1.0
    assert early.conflicts == (Conflict("window"),)


def test_evaluate_across_the_autumn_change():
    """On 31 October 2027 (last Sunday of October) 02:30 happens twice in Paris; a webinar
    from the first 02:30 lasts 60 real minutes and ends at the second 02:30."""
    data = problem_on("2027-10-31", "00:00", "23:59", 60)
    problem = parse(data)
    first = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 summer time
    placed = evaluate(problem, {"w": first})["w"]
    assert placed.start.utcoffset() == timedelta(hours=2)
    assert placed.end.utcoffset() == timedelta(hours=1)
    assert (placed.end.hour, placed.end.minute) == (2, 30)
    assert placed.conflicts == ()


def test_naive_plan_is_one_hour_in_order_spread_over_the_period():
    problem = parse(EXAMPLE)
    plan = naive_plan(problem)
    assert list(plan) == [w.id for w in problem.webinars]
    starts = list(plan.values())
    assert {(s.hour, s.minute) for s in starts} == {(14, 0)}  # first start after lunch
    assert starts == sorted(starts)
    allowed = problem.dates.allowed()
    assert starts[0].date() == allowed[0]
    if len(starts) > 1:
        assert starts[-1].date() == allowed[-1]


def test_naive_plan_keeps_its_hour_across_the_spring_change():
    """Paris at 14:00 before and after 28 March 2027: 13:00Z, then 12:00Z."""
    data = two_webinars(0, days=1)
    data["dates"] = {"from": "2027-03-26", "to": "2027-03-29", "weekdays": [1, 5]}
    data["window"] = {"start": "09:00", "end": "18:00", "exclude": [["12:30", "14:00"]]}
    plan = naive_plan(parse(data))
    assert plan["a"].astimezone(UTC).hour == 13
    assert plan["b"].astimezone(UTC).hour == 12
    assert naive_plan(parse({**data, "webinars": []})) == {}


def test_unplaceable_says_which_webinars_have_no_start_and_why():
    data = two_webinars(0, days=3)
    data["webinars"][0]["available"] = [["2027-03-01", "2027-03-05"]]  # after the period
    data["webinars"][1]["minutes"] = 180  # longer than the two-hour window
    assert unplaceable(parse(data)) == {"a": "no_date", "b": "no_start"}
    assert unplaceable(parse(two_webinars(0))) == {}
