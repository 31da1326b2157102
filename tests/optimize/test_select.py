"""``deepdive select``: the optimiser against brute force, its CLI, its conflicts and reasons.

Pure pytest: no database, no Django import in the code under test.
"""

import itertools
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from deepdive.optimize.select import parse, solve, solve_json
from deepdive.optimize.validation import InputError

ROOT = Path(__file__).resolve().parents[2]
DEEPDIVE = ROOT / ".venv" / "bin" / "deepdive"

EXAMPLE = {
    "seats": 8,
    "proposals": [
        {
            "id": "p1",
            "score": 3.6,
            "organisations": ["o1", "o2"],
            "org_types": ["workers_organisation", "business"],
            "lead_org_type": "workers_organisation",
            "regions": ["Africa"],
            "themes": ["child_labour"],
            "outcomes": [1, 4],
            "pathfinder": True,
        }
    ],
    "weights": {
        "joint": 0.5,
        "pathfinder": 0.5,
        "org_type_coverage": 0.25,
        "region_coverage": 0.25,
    },
    "rules": {
        "min_per_theme": {"child_labour": 2},
        "min_per_outcome": {"1": 1},
        "max_per_organisation": 1,
        "max_per_lead_org_type": 3,
        "max_per_region": 4,
        "include": [],
        "exclude": [],
    },
}

RULES = (
    "seats",
    "include",
    "exclude",
    "max_per_organisation",
    "max_per_lead_org_type",
    "max_per_region",
)


# ---------------------------------------------------------------------------------------------
# Brute force, written from DESIGN.md independently of the module
# ---------------------------------------------------------------------------------------------


def _value(p, w):
    joint = 1 if len(set(p.get("organisations", []))) >= 2 else 0
    pathfinder = 1 if p.get("pathfinder", False) else 0
    return p["score"] + w["joint"] * joint + w["pathfinder"] * pathfinder


def _weights(data):
    w = {"joint": 0.5, "pathfinder": 0.5, "org_type_coverage": 0.25, "region_coverage": 0.25}
    w.update(data.get("weights", {}))
    return w


def _objective(data, chosen):
    w = _weights(data)
    props = [data["proposals"][i] for i in chosen]
    types = {t for p in props for t in p.get("org_types", [])}
    regions = {r for p in props for r in p.get("regions", [])}
    return (
        sum(_value(p, w) for p in props)
        + w["org_type_coverage"] * len(types)
        + w["region_coverage"] * len(regions)
    )


def _shortfall(data, chosen):
    rules = data.get("rules", {})
    props = [data["proposals"][i] for i in chosen]
    total = 0
    for theme, minimum in rules.get("min_per_theme", {}).items():
        total += max(0, minimum - sum(1 for p in props if theme in p.get("themes", [])))
    for key, minimum in rules.get("min_per_outcome", {}).items():
        total += max(0, minimum - sum(1 for p in props if int(key) in p.get("outcomes", [])))
    return total


def _keeps(data, chosen, enabled):
    rules = data.get("rules", {})
    props = data["proposals"]
    ids = {props[i]["id"] for i in chosen}
    if "include" in enabled and not set(rules.get("include", [])) <= ids:
        return False
    if "exclude" in enabled and set(rules.get("exclude", [])) & ids:
        return False
    for name, keys in (
        ("max_per_organisation", lambda p: set(p.get("organisations", []))),
        (
            "max_per_lead_org_type",
            lambda p: {p["lead_org_type"]} if p.get("lead_org_type") else set(),
        ),
        ("max_per_region", lambda p: set(p.get("regions", []))),
    ):
        if name in enabled and name in rules:
            counts = {}
            for i in chosen:
                for key in keys(props[i]):
                    counts[key] = counts.get(key, 0) + 1
            if any(c > rules[name] for c in counts.values()):
                return False
    return True


def _size(data, enabled):
    excluded = set(data.get("rules", {}).get("exclude", [])) if "exclude" in enabled else set()
    return min(data["seats"], sum(1 for p in data["proposals"] if p["id"] not in excluded))


def brute(data, forced=None):
    """(shortfall, objective) of the lexicographic best, or None when the rules cannot hold."""
    n = len(data["proposals"])
    best = None
    for chosen in itertools.combinations(range(n), _size(data, RULES)):
        if forced is not None and forced not in chosen:
            continue
        if not _keeps(data, chosen, RULES):
            continue
        key = (_shortfall(data, chosen), -_objective(data, chosen))
        if best is None or key < best:
            best = key
    return None if best is None else (best[0], -best[1])


def brute_feasible(data, enabled):
    n = len(data["proposals"])
    sizes = [_size(data, enabled)] if "seats" in enabled else range(n + 1)
    return any(
        _keeps(data, chosen, enabled)
        for size in sizes
        for chosen in itertools.combinations(range(n), size)
    )


def brute_conflicts(data):
    """The union of all minimal infeasible subsets of the rules present."""
    rules = data.get("rules", {})
    present = [
        r
        for r in RULES
        if r == "seats"
        or (r in ("include", "exclude") and rules.get(r))
        or (r.startswith("max_") and r in rules)
    ]
    infeasible = [
        set(s)
        for k in range(1, len(present) + 1)
        for s in itertools.combinations(present, k)
        if not brute_feasible(data, set(s))
    ]
    minimal = [s for s in infeasible if not any(t < s for t in infeasible)]
    return {r for s in minimal for r in s}


def random_instance(rng: random.Random) -> dict:
    n = rng.randint(1, 10)
    orgs = [f"o{k}" for k in range(1, 6)]
    types = ["business", "workers_organisation", "government", "ngo"]
    regions = ["Africa", "Americas", "Arab States", "Asia", "Europe"]
    themes = ["child_labour", "forced_labour", "human_trafficking"]
    proposals = []
    for k in range(n):
        p = {"id": f"p{k + 1}", "score": round(rng.uniform(-1, 5), rng.choice([0, 1, 2, 3]))}
        if rng.random() < 0.9:
            p["organisations"] = rng.choices(orgs, k=rng.randint(0, 3))  # may repeat
        if rng.random() < 0.8:
            p["org_types"] = rng.sample(types, rng.randint(0, 2))
        if rng.random() < 0.7:
            p["lead_org_type"] = rng.choice(types)
        if rng.random() < 0.8:
            p["regions"] = rng.sample(regions, rng.randint(0, 2))
        if rng.random() < 0.8:
            p["themes"] = rng.sample(themes, rng.randint(0, 2))
        if rng.random() < 0.7:
            p["outcomes"] = rng.sample([1, 2, 3, 4], rng.randint(0, 2))
        if rng.random() < 0.5:
            p["pathfinder"] = rng.random() < 0.5
        proposals.append(p)
    data = {"seats": rng.randint(1, 6), "proposals": proposals}
    if rng.random() < 0.7:
        data["weights"] = {
            key: rng.choice([0, 0.05, 0.25, 0.5, 1.0, 1.35])
            for key in ("joint", "pathfinder", "org_type_coverage", "region_coverage")
            if rng.random() < 0.7
        }
    rules = {}
    if rng.random() < 0.6:
        rules["min_per_theme"] = {
            t: rng.randint(0, 3) for t in rng.sample(themes, rng.randint(1, 3))
        }
    if rng.random() < 0.5:
        rules["min_per_outcome"] = {
            str(o): rng.randint(0, 2) for o in rng.sample([1, 2, 3, 4, 5], rng.randint(1, 3))
        }
    for name in ("max_per_organisation", "max_per_lead_org_type", "max_per_region"):
        if rng.random() < 0.5:
            rules[name] = rng.randint(1, 3)
    ids = [p["id"] for p in proposals]
    if rng.random() < 0.3:
        rules["include"] = rng.sample(ids, rng.randint(0, min(3, n)))
    if rng.random() < 0.3:
        rules["exclude"] = rng.sample(ids, rng.randint(0, min(3, n)))
    if rules or rng.random() < 0.5:
        data["rules"] = rules
    return data


# ---------------------------------------------------------------------------------------------
# Against brute force
# ---------------------------------------------------------------------------------------------

SEEDS = range(240)


@pytest.mark.parametrize("block", range(8))
def test_matches_brute_force_on_random_instances(block):
    statuses = {}
    for seed in SEEDS[block::8]:
        data = random_instance(random.Random(seed))
        problem = parse(data)
        result = solve(problem)
        answer = solve_json(data)
        expected = brute(data)
        where = f"seed {seed}: {json.dumps(data)}"
        statuses[result.status] = statuses.get(result.status, 0) + 1
        assert set(answer["explanations"]) == {p["id"] for p in data["proposals"]}, where
        assert all(s.strip() for s in answer["explanations"].values()), where
        if expected is None:
            assert answer["status"] == "infeasible", where
            assert answer["selected"] == [] and answer["reason"], where
            assert set(answer["conflicts"]) == brute_conflicts(data), where
            continue
        short, objective = expected
        assert answer["status"] == ("optimal" if short == 0 else "quotas_short"), where
        assert answer["shortfall"] == short, where
        assert abs(answer["objective"] - objective) < 1e-6, where
        chosen = [i for i, p in enumerate(data["proposals"]) if p["id"] in answer["selected"]]
        assert _keeps(data, chosen, RULES) and len(chosen) == _size(data, RULES), where
        assert abs(_objective(data, chosen) - answer["objective"]) < 1e-9, where
        assert sum(item["missing"] for item in answer["short"]) == short, where
        # Forced-in losses, re-solved exactly for these small instances.
        for i, p in enumerate(data["proposals"]):
            e = result.explanations[p["id"]]
            if e.selected:
                assert e.forced_in_loss == 0.0
                continue
            if e.code == "excluded":
                assert p["id"] in data["rules"]["exclude"], where
                continue
            forced = brute(data, forced=i)
            assert e.forced_in_exact, where
            if forced is None:
                assert e.code == "cannot_fit" and e.forced_in_loss is None, where
            else:
                assert e.forced_in_extra_shortfall == forced[0] - short, where
                assert abs(e.forced_in_loss - (objective - forced[1])) < 1e-6, where
    assert sum(statuses.values()) == len(SEEDS[block::8])


def test_random_instances_cover_every_status():
    seen = {solve(parse(random_instance(random.Random(s)))).status for s in SEEDS[:80]}
    assert {"optimal", "quotas_short", "infeasible"} <= seen


def test_real_valued_scores_are_optimal_up_to_rounding():
    rng = random.Random(7)
    for _ in range(20):
        data = random_instance(rng)
        for p in data["proposals"]:
            p["score"] = rng.uniform(0, 5)  # full double precision
        expected = brute(data)
        result = solve(parse(data))
        if expected is None:
            assert result.status == "infeasible"
            continue
        assert result.shortfall == expected[0]
        assert abs(result.objective - expected[1]) <= 2 * result.rounding_bound + 1e-9


# ---------------------------------------------------------------------------------------------
# Conflicts and explanations
# ---------------------------------------------------------------------------------------------


def _props(n, **fields):
    return [{"id": f"p{k}", "score": float(k), **fields} for k in range(1, n + 1)]


def test_include_more_than_seats_is_a_seats_include_conflict():
    data = {"seats": 2, "proposals": _props(4), "rules": {"include": ["p1", "p2", "p3"]}}
    answer = solve_json(data)
    assert answer["status"] == "infeasible"
    assert answer["conflicts"] == ["seats", "include"]
    assert "include lists 3 proposals" in answer["reason"]
    assert answer["selected"] == [] and len(answer["explanations"]) == 4


def test_included_proposals_sharing_an_organisation():
    data = {
        "seats": 3,
        "proposals": [
            {"id": "p1", "score": 1, "organisations": ["o1"]},
            {"id": "p2", "score": 2, "organisations": ["o2"]},
            {"id": "p3", "score": 3, "organisations": ["o1", "o3"]},
            {"id": "p4", "score": 4, "organisations": ["o4"]},
        ],
        "rules": {"include": ["p1", "p3"], "max_per_organisation": 1},
    }
    answer = solve_json(data)
    assert answer["status"] == "infeasible"
    assert answer["conflicts"] == ["include", "max_per_organisation"]
    assert "o1" in answer["reason"] and "p1" in answer["reason"] and "p3" in answer["reason"]


def test_included_and_excluded():
    data = {"seats": 1, "proposals": _props(3), "rules": {"include": ["p2"], "exclude": ["p2"]}}
    answer = solve_json(data)
    assert answer["status"] == "infeasible"
    assert answer["conflicts"] == ["include", "exclude"]
    assert "p2 is both included and excluded" in answer["reason"]


def test_seats_beyond_what_the_caps_allow():
    proposals = _props(4, regions=["Africa"])
    data = {"seats": 3, "proposals": proposals, "rules": {"max_per_region": 2}}
    answer = solve_json(data)
    assert answer["status"] == "infeasible"
    assert answer["conflicts"] == ["seats", "max_per_region"]
    assert "at most 2 proposals" in answer["reason"]


def test_seats_are_capped_by_what_is_not_excluded():
    data = {"seats": 5, "proposals": _props(3), "rules": {"exclude": ["p1"]}}
    answer = solve_json(data)
    assert answer["status"] == "optimal"
    assert answer["selected"] == ["p2", "p3"]
    assert answer["explanations"]["p1"] == "Excluded by the rules."


def test_explanations_give_reasons():
    proposals = [
        {"id": "a", "score": 4.0, "organisations": ["o1", "o2"], "regions": ["Arab States"]},
        {"id": "b", "score": 3.0, "organisations": ["o1"]},
        {"id": "c", "score": 2.0, "organisations": ["o3"]},
        {"id": "d", "score": 1.0, "organisations": ["o4"]},
        {"id": "e", "score": 9.0, "organisations": ["o5"]},
    ]
    data = {
        "seats": 2,
        "proposals": proposals,
        "weights": {"org_type_coverage": 0, "region_coverage": 0.25},
        "rules": {"max_per_organisation": 1, "include": ["a"], "exclude": ["e"]},
    }
    result = solve(parse(data))
    assert result.status == "optimal" and result.selected == ["a", "c"]
    e = result.explanations
    assert e["a"].code == "included" and "joint proposal (+0.5)" in e["a"].sentence
    assert "covers Arab States" in e["a"].sentence
    assert e["b"].code == "cannot_fit" and e["b"].forced_in_loss is None
    assert "max_per_organisation" in e["b"].sentence and "o1" in e["b"].sentence
    assert e["c"].code == "selected"
    assert e["d"].code == "lower_objective" and e["d"].forced_in_loss == pytest.approx(1.0)
    assert "lower the objective by 1" in e["d"].sentence
    assert e["e"].code == "excluded" and e["e"].sentence == "Excluded by the rules."


def test_quota_shortfall_is_minimised_before_the_objective():
    proposals = [
        {"id": "big", "score": 10.0, "themes": ["forced_labour"]},
        {"id": "small", "score": 1.0, "themes": ["child_labour"]},
    ]
    data = {"seats": 1, "proposals": proposals, "rules": {"min_per_theme": {"child_labour": 1}}}
    answer = solve_json(data)
    assert answer["status"] == "optimal" and answer["selected"] == ["small"]
    result = solve(parse(data))
    assert result.explanations["big"].code == "quota_cost"
    assert result.explanations["big"].forced_in_extra_shortfall == 1
    data["rules"]["min_per_theme"]["child_labour"] = 2
    answer = solve_json(data)
    assert answer["status"] == "quotas_short" and answer["shortfall"] == 1
    assert answer["short"] == [{"quota": "min_per_theme.child_labour", "missing": 1}]


def test_a_tie_is_said_to_be_one():
    data = {"seats": 1, "proposals": _props(2, score=2.5)}
    result = solve(parse(data))
    assert result.status == "optimal" and len(result.selected) == 1
    (left,) = [e for e in result.explanations.values() if not e.selected]
    assert left.code == "tie" and left.forced_in_loss == 0.0 and "tie" in left.sentence


def test_outcome_keys_match_outcome_numbers():
    proposals = [
        {"id": "a", "score": 5.0, "outcomes": [2]},
        {"id": "b", "score": 1.0, "outcomes": [1, 3]},
    ]
    data = {"seats": 1, "proposals": proposals, "rules": {"min_per_outcome": {"1": 1}}}
    assert solve_json(data)["selected"] == ["b"]


def test_cheap_bound_for_many_proposals(monkeypatch):
    from deepdive.optimize import select_explain

    monkeypatch.setattr(select_explain, "EXPLAIN_BUDGET_SECONDS", 0.0)
    rng = random.Random(3)
    proposals = [
        {"id": f"p{k}", "score": round(rng.uniform(0, 5), 2), "organisations": [f"o{k % 30}"]}
        for k in range(70)
    ]
    data = {"seats": 4, "proposals": proposals, "rules": {"max_per_organisation": 1}}
    result = solve(parse(data))
    assert result.status == "optimal"
    left_out = [e for e in result.explanations.values() if not e.selected]
    assert left_out and all(not e.forced_in_exact for e in left_out)
    assert any("at most" in e.sentence and "not re-solved" in e.sentence for e in left_out)


# ---------------------------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------------------------


def _cli(text: str):
    return subprocess.run(
        [str(DEEPDIVE), "select", "--input", "-"],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_cli_answers_the_design_example():
    done = _cli(json.dumps(EXAMPLE))
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["status"] == "quotas_short"
    assert answer["selected"] == ["p1"]
    assert answer["objective"] == pytest.approx(3.6 + 0.5 + 0.5 + 0.5 + 0.25)
    assert answer["shortfall"] == 1
    assert answer["short"] == [{"quota": "min_per_theme.child_labour", "missing": 1}]
    assert set(answer) == {"status", "selected", "objective", "shortfall", "short", "explanations"}
    assert answer["explanations"]["p1"].startswith("Selected")


def _with(path, value):
    data = json.loads(json.dumps(EXAMPLE))
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return json.dumps(data)


BAD_INPUTS = {
    "invalid JSON": ('{"seats": 8, "proposals": [', "invalid JSON"),
    "unknown key": (_with(("colour",), "blue"), "'colour'"),
    "unknown proposal key": (_with(("proposals", 0, "budget"), 3), "'budget'"),
    "missing key": (_with(("seats",), KeyError), "'seats'"),
    "missing proposal score": (_with(("proposals", 0, "score"), KeyError), "'score'"),
    "wrong type": (_with(("seats",), "8"), "seats"),
    "wrong type in a list": (_with(("proposals", 0, "regions"), "Africa"), "regions"),
    "seats out of range": (_with(("seats",), 0), "seats"),
    "max out of range": (_with(("rules", "max_per_region"), 0), "max_per_region"),
    "min out of range": (_with(("rules", "min_per_theme", "child_labour"), -1), "child_labour"),
    "negative weight": (_with(("weights", "joint"), -0.5), "weights.joint"),
    "time limit 0": (_with(("time_limit_seconds",), 0), "time_limit_seconds"),
    "duplicate id": (
        _with(("proposals",), [{"id": "p1", "score": 1}, {"id": "p1", "score": 2}]),
        "'p1'",
    ),
    "empty id": (_with(("proposals",), [{"id": "", "score": 1}]), "proposals[0].id"),
    "unknown include id": (_with(("rules", "include"), ["p9"]), "'p9'"),
    "unknown exclude id": (_with(("rules", "exclude"), ["p9"]), "rules.exclude"),
    "non-digit outcome key": (_with(("rules", "min_per_outcome"), {"one": 1}), "'one'"),
}


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
def test_unusable_input_in_process(kind):
    text, named = BAD_INPUTS[kind]
    if kind == "invalid JSON":
        return  # JSON parsing is the command's job, checked through the CLI below
    with pytest.raises(InputError) as caught:
        solve_json(json.loads(text))
    assert named in str(caught.value)


@pytest.mark.parametrize(
    "kind",
    [
        "invalid JSON",
        "unknown key",
        "missing key",
        "wrong type",
        "seats out of range",
        "duplicate id",
        "unknown include id",
        "non-digit outcome key",
    ],
)
def test_cli_rejects_unusable_input(kind):
    text, named = BAD_INPUTS[kind]
    done = _cli(text)
    assert done.returncode == 2
    assert done.stdout == ""
    assert named in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_optimiser_imports_no_django():
    code = (
        "import sys, deepdive.optimize.select as s; "
        "s.solve_json({'seats': 1, 'proposals': [{'id': 'a', 'score': 1}]}); "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "False"
