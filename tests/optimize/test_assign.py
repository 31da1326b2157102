"""deepdive assign: brute force on small instances, the command line, unusable input,
infeasible answers. Pure Python, no database."""

import itertools
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from deepdive.optimize.assign import parse, solve, solve_json
from deepdive.optimize.validation import InputError

DEEPDIVE = Path(sys.executable).parent / "deepdive"

DESIGN_EXAMPLE = {
    "reviewers_per_proposal": 3,
    "objective": "total",
    "reviewers": [
        {
            "id": "r1",
            "organisations": ["o9"],
            "min_load": 0,
            "max_load": 6,
            "expertise": {"child_labour": 2, "mining": 1},
        }
    ],
    "proposals": [{"id": "p1", "organisations": ["o1"], "topics": ["child_labour", "mining"]}],
    "conflicts": [["r1", "p2"]],
    "affinity": {"r1": {"p1": 0.5}},
}


def design_example_completed():
    """The DESIGN.md example with the reviewers and proposal its ids refer to."""
    data = json.loads(json.dumps(DESIGN_EXAMPLE))
    data["reviewers"] += [
        {"id": "r2", "organisations": ["o1"], "expertise": {"mining": 3}},
        {"id": "r3", "expertise": {"child_labour": 1}, "max_load": 2},
        {"id": "r4", "expertise": {"mining": 2}, "min_load": 1},
        {"id": "r5", "expertise": {"child_labour": 0.5, "mining": 0.25}},
    ]
    data["proposals"].append({"id": "p2", "topics": ["mining"]})
    return data


# --- brute force -----------------------------------------------------------------------------


def random_instance(rng: random.Random) -> dict:
    topics = ["a", "b", "c"]
    orgs = ["o1", "o2", "o3", "o4"]
    n_r, n_p, k = rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 2)
    reviewers = []
    for i in range(n_r):
        low = rng.choice([0, 0, 0, 1, 2])
        item = {"id": f"r{i}", "min_load": low}
        if rng.random() < 0.8:
            item["max_load"] = rng.randint(max(1, low), max(1, low) + 3)
        if rng.random() < 0.4:
            item["organisations"] = [rng.choice(orgs)]
        item["expertise"] = {
            t: round(rng.uniform(-1, 5), rng.choice([0, 1, 2])) for t in rng.sample(topics, 2)
        }
        reviewers.append(item)
    proposals = []
    for j in range(n_p):
        item = {"id": f"p{j}", "topics": rng.sample(topics, rng.randint(0, 2))}
        if rng.random() < 0.3:
            item["organisations"] = [rng.choice(orgs)]
        proposals.append(item)
    data = {"reviewers_per_proposal": k, "reviewers": reviewers, "proposals": proposals}
    data["conflicts"] = [
        [f"r{rng.randrange(n_r)}", f"p{rng.randrange(n_p)}"] for _ in range(rng.randint(0, 3))
    ]
    affinity: dict = {}
    for _ in range(rng.randint(0, 3)):
        affinity.setdefault(f"r{rng.randrange(n_r)}", {})[f"p{rng.randrange(n_p)}"] = round(
            rng.uniform(-2, 6), 2
        )
    data["affinity"] = affinity
    return data


def brute_force(data: dict):
    """Every assignment, straight from the contract's words: None when there is none, else
    (best total, (best min, best total at that min))."""
    k = data["reviewers_per_proposal"]
    revs, props = data["reviewers"], data["proposals"]
    conflicts = {tuple(pair) for pair in data.get("conflicts", [])}
    fixed = {tuple(pair) for pair in data.get("fixed", [])}

    def aff(r, p):
        given = data.get("affinity", {}).get(r["id"], {})
        if p["id"] in given:
            return given[p["id"]]
        return sum(r.get("expertise", {}).get(t, 0) for t in set(p.get("topics", [])))

    def free(r, p):
        if (r["id"], p["id"]) in fixed:  # a fixed pair is kept, whatever the conflicts
            return True
        if (r["id"], p["id"]) in conflicts:
            return False
        return not set(r.get("organisations", [])) & set(p.get("organisations", []))

    options = [
        [
            c
            for c in itertools.combinations(range(len(revs)), k)
            if all(free(revs[i], p) for i in c)
            and {r for r, q in fixed if q == p["id"]} <= {revs[i]["id"] for i in c}
        ]
        for p in props
    ]
    best_total, best_fair = None, None
    for choice in itertools.product(*options):
        loads = Counter(i for c in choice for i in c)
        if any(
            not (r.get("min_load", 0) <= loads[i] <= r.get("max_load", len(props)))
            for i, r in enumerate(revs)
        ):
            continue
        sums = [sum(aff(revs[i], p) for i in c) for c, p in zip(choice, props, strict=True)]
        total, low = sum(sums), min(sums)
        if best_total is None or total > best_total:
            best_total = total
        if (
            best_fair is None
            or low > best_fair[0] + 1e-9
            or (abs(low - best_fair[0]) <= 1e-9 and total > best_fair[1])
        ):
            best_fair = (low, total)
    return None if best_total is None else (best_total, best_fair)


def check_answer(data: dict, answer: dict) -> None:
    """The answer is an assignment that keeps every rule, with its figures right."""
    k = data["reviewers_per_proposal"]
    problem = parse(data)
    revs = {r.id: r for r in problem.reviewers}
    sums = []
    for p in problem.proposals:
        chosen = answer["assignment"][p.id]
        assert len(chosen) == len(set(chosen)) == k
        assert chosen == sorted(chosen)
        assert not any(problem.in_conflict(revs[r], p) for r in chosen)
        assert {r for r, q in problem.fixed if q == p.id} <= set(chosen)
        sums.append(sum(problem.affinity_of(revs[r], p) for r in chosen))
    loads = Counter(r for chosen in answer["assignment"].values() for r in chosen)
    assert answer["loads"] == {r.id: loads[r.id] for r in problem.reviewers}
    for r in problem.reviewers:
        assert r.min_load <= loads[r.id] <= (r.max_load or len(problem.proposals))
    assert answer["total_affinity"] == pytest.approx(sum(sums), abs=1e-9)
    assert answer["min_proposal_affinity"] == pytest.approx(min(sums), abs=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_brute_force_agrees_on_random_small_instances(seed):
    rng = random.Random(1000 + seed)
    feasible = infeasible = 0
    for _ in range(60):  # 4 x 60 = 240 instances, each with both objectives
        data = random_instance(rng)
        expected = brute_force(data)
        for objective in ("total", "fair"):
            answer = solve_json({**data, "objective": objective})
            if expected is None:
                assert answer["status"] == "infeasible", (data, answer)
                assert answer.get("uncovered") or answer.get("reason")
                continue
            assert answer["status"] == "optimal", (data, answer)
            check_answer(data, answer)
            best_total, (best_min, best_fair_total) = expected
            if objective == "total":
                assert answer["total_affinity"] == pytest.approx(best_total, abs=1e-6)
            else:
                assert answer["min_proposal_affinity"] == pytest.approx(best_min, abs=1e-6)
                assert answer["total_affinity"] == pytest.approx(best_fair_total, abs=1e-6)
        feasible += expected is not None
        infeasible += expected is None
    assert feasible >= 15 and infeasible >= 5  # both kinds are exercised


@pytest.mark.parametrize("seed", range(3))
def test_brute_force_agrees_with_fixed_pairs(seed):
    """Fixed pairs (reviews already done) are always in the answer, conflicts or not, and the
    rest is optimal around them."""
    rng = random.Random(2000 + seed)
    feasible = 0
    for _ in range(60):
        data = random_instance(rng)
        pairs = [[r["id"], p["id"]] for r in data["reviewers"] for p in data["proposals"]]
        data["fixed"] = rng.sample(pairs, min(len(pairs), rng.randint(1, 3)))
        if rng.random() < 0.5:
            data["conflicts"].append(list(data["fixed"][0]))  # declared after the review
        expected = brute_force(data)
        for objective in ("total", "fair"):
            answer = solve_json({**data, "objective": objective})
            if expected is None:
                assert answer["status"] == "infeasible", (data, answer)
                assert answer.get("uncovered") or answer.get("reason")
                continue
            assert answer["status"] == "optimal", (data, answer)
            check_answer(data, answer)
            for r, p in data["fixed"]:
                assert r in answer["assignment"][p]
            best_total, (best_min, best_fair_total) = expected
            if objective == "total":
                assert answer["total_affinity"] == pytest.approx(best_total, abs=1e-6)
            else:
                assert answer["min_proposal_affinity"] == pytest.approx(best_min, abs=1e-6)
                assert answer["total_affinity"] == pytest.approx(best_fair_total, abs=1e-6)
        feasible += expected is not None
    assert feasible >= 10


def test_a_fixed_pair_stays_though_a_better_reviewer_comes():
    data = {
        "reviewers_per_proposal": 1,
        "reviewers": [{"id": "done"}, {"id": "expert"}],
        "proposals": [{"id": "p1"}],
        "affinity": {"done": {"p1": 0}, "expert": {"p1": 9}},
        "conflicts": [["done", "p1"]],
        "fixed": [["done", "p1"]],
    }
    for objective in ("total", "fair"):
        answer = solve_json({**data, "objective": objective})
        assert answer["assignment"] == {"p1": ["done"]}
        assert answer["loads"] == {"done": 1, "expert": 0}
    assert solve_json({**data, "fixed": []})["assignment"] == {"p1": ["expert"]}


def test_more_fixed_pairs_than_seats_or_load_is_infeasible():
    data = {
        "reviewers_per_proposal": 1,
        "reviewers": [{"id": "r1", "max_load": 1}, {"id": "r2"}],
        "proposals": [{"id": "p1"}, {"id": "p2"}],
        "fixed": [["r1", "p1"], ["r2", "p1"]],
    }
    answer = solve_json(data)
    assert answer["status"] == "infeasible"
    assert answer["uncovered"] == {"p1": "needs 1 reviewers, but 2 are fixed (listed in fixed)"}
    answer = solve_json({**data, "fixed": [["r1", "p1"], ["r1", "p2"]]})
    assert answer["status"] == "infeasible"
    assert answer["reason"] == "reviewer r1 has 2 fixed proposals, more than their max_load 1"


def test_real_affinities_that_are_not_decimals():
    rng = random.Random(7)
    for _ in range(20):
        data = random_instance(rng)
        data["affinity"] = {
            r["id"]: {p["id"]: rng.random() / 3 for p in data["proposals"]}
            for r in data["reviewers"]
        }
        expected = brute_force(data)
        for objective in ("total", "fair"):
            answer = solve_json({**data, "objective": objective})
            if expected is None:
                assert answer["status"] == "infeasible"
                continue
            check_answer(data, answer)
            key = "total_affinity" if objective == "total" else "min_proposal_affinity"
            best = expected[0] if objective == "total" else expected[1][0]
            assert answer[key] == pytest.approx(best, abs=1e-6)


def test_fair_trades_total_for_the_weakest_proposal():
    data = {
        "reviewers_per_proposal": 1,
        "reviewers": [{"id": "a", "max_load": 1}, {"id": "b", "max_load": 1}],
        "proposals": [{"id": "p"}, {"id": "q"}],
        "affinity": {"a": {"p": 10, "q": 4}, "b": {"p": 6, "q": 1}},
    }
    total = solve_json(data)
    assert total["assignment"] == {"p": ["a"], "q": ["b"]}
    assert (total["total_affinity"], total["min_proposal_affinity"]) == (11, 1)
    fair = solve_json({**data, "objective": "fair"})
    assert fair["status"] == "optimal"
    assert fair["assignment"] == {"p": ["b"], "q": ["a"]}
    assert (fair["total_affinity"], fair["min_proposal_affinity"]) == (10, 4)


# --- the command line ------------------------------------------------------------------------


def run_cli(text: str):
    return subprocess.run(
        [str(DEEPDIVE), "assign", "--input", "-"],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_answers_the_design_example():
    done = run_cli(json.dumps(design_example_completed()))
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["status"] == "optimal"
    check_answer(design_example_completed(), answer)
    assert "r1" not in answer["assignment"]["p2"]  # listed conflict
    assert "r2" not in answer["assignment"]["p1"]  # shares o1 with p1
    assert answer["loads"]["r4"] >= 1


def test_cli_rejects_the_literal_design_example_because_p2_is_unknown():
    done = run_cli(json.dumps(DESIGN_EXAMPLE))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "conflicts[0][1]" in done.stderr and "'p2'" in done.stderr


def _broken(change):
    data = design_example_completed()
    change(data)
    return json.dumps(data)


UNUSABLE = {
    "invalid JSON": ('{"reviewers_per_proposal": 3,', "invalid JSON"),
    "unknown key": (_broken(lambda d: d.update(colour="red")), "'colour'"),
    "unknown reviewer key": (
        _broken(lambda d: d["reviewers"][1].update(load=2)),
        "reviewers[1]: unknown key 'load'",
    ),
    "missing key": (_broken(lambda d: d.pop("proposals")), "'proposals'"),
    "missing id": (_broken(lambda d: d["proposals"][0].pop("id")), "proposals[0]"),
    "wrong type": (
        _broken(lambda d: d.update(reviewers_per_proposal="3")),
        "reviewers_per_proposal",
    ),
    "expertise not a number": (
        _broken(lambda d: d["reviewers"][0]["expertise"].update(mining="high")),
        "reviewers[0].expertise.mining",
    ),
    "reviewers_per_proposal 0": (
        _broken(lambda d: d.update(reviewers_per_proposal=0)),
        "reviewers_per_proposal",
    ),
    "negative min_load": (
        _broken(lambda d: d["reviewers"][0].update(min_load=-1)),
        "reviewers[0].min_load",
    ),
    "max_load 0": (
        _broken(lambda d: d["reviewers"][2].update(max_load=0)),
        "reviewers[2].max_load",
    ),
    "max_load below min_load": (
        _broken(lambda d: d["reviewers"][0].update(min_load=5, max_load=2)),
        "reviewers[0].max_load",
    ),
    "objective": (_broken(lambda d: d.update(objective="best")), "objective"),
    "time limit": (_broken(lambda d: d.update(time_limit_seconds=0)), "time_limit_seconds"),
    "duplicate reviewer": (
        _broken(lambda d: d["reviewers"].append({"id": "r1"})),
        "duplicate id 'r1'",
    ),
    "duplicate proposal": (
        _broken(lambda d: d["proposals"].append({"id": "p1"})),
        "duplicate id 'p1'",
    ),
    "empty id": (_broken(lambda d: d["proposals"][0].update(id="")), "proposals[0].id"),
    "unknown reviewer in conflicts": (
        _broken(lambda d: d["conflicts"].append(["r9", "p1"])),
        "unknown reviewer id 'r9'",
    ),
    "unknown proposal in conflicts": (
        _broken(lambda d: d["conflicts"].append(["r1", "p9"])),
        "unknown proposal id 'p9'",
    ),
    "conflict not a pair": (
        _broken(lambda d: d["conflicts"].append(["r1"])),
        "conflicts[1]",
    ),
    "unknown reviewer in affinity": (
        _broken(lambda d: d["affinity"].update(r9={"p1": 1})),
        "unknown reviewer id 'r9'",
    ),
    "unknown proposal in affinity": (
        _broken(lambda d: d["affinity"]["r1"].update(p9=1)),
        "unknown proposal id 'p9'",
    ),
    "unknown reviewer in fixed": (
        _broken(lambda d: d.update(fixed=[["r9", "p1"]])),
        "fixed[0][0]: unknown reviewer id 'r9'",
    ),
    "unknown proposal in fixed": (
        _broken(lambda d: d.update(fixed=[["r1", "p9"]])),
        "fixed[0][1]: unknown proposal id 'p9'",
    ),
    "fixed not a pair": (_broken(lambda d: d.update(fixed=[["r1"]])), "fixed[0]"),
    "fixed not a list": (_broken(lambda d: d.update(fixed={"r1": "p1"})), "fixed"),
    "duplicate fixed pair": (
        _broken(lambda d: d.update(fixed=[["r1", "p1"], ["r1", "p1"]])),
        "fixed[1]: duplicate pair",
    ),
    "affinity not a number": (
        _broken(lambda d: d["affinity"]["r1"].update(p1=None)),
        "affinity.r1.p1",
    ),
}


@pytest.mark.parametrize("kind", UNUSABLE)
def test_cli_refuses_unusable_input(kind):
    text, named = UNUSABLE[kind]
    done = run_cli(text)
    assert done.returncode == 2
    assert done.stdout == ""
    assert named in done.stderr
    assert "Traceback" not in done.stderr
    if kind != "invalid JSON":
        with pytest.raises(InputError):
            parse(json.loads(text))


# --- infeasible answers ----------------------------------------------------------------------


def test_a_proposal_without_enough_free_reviewers_is_named():
    data = design_example_completed()
    data["conflicts"] += [["r3", "p1"], ["r5", "p1"]]  # p1 keeps r1 and r4 (r2 shares o1)
    answer = solve_json(data)
    assert answer["status"] == "infeasible"
    assert list(answer["uncovered"]) == ["p1"]
    assert answer["uncovered"]["p1"] == ("needs 3 reviewers, only 2 are free of conflicts: r1, r4")


def test_too_little_capacity_gives_a_reason():
    data = {
        "reviewers_per_proposal": 2,
        "reviewers": [{"id": f"r{i}", "max_load": 1} for i in range(3)],
        "proposals": [{"id": "p1"}, {"id": "p2"}],
    }
    answer = solve_json(data)
    assert answer["status"] == "infeasible"
    assert "need 4 reviews" in answer["reason"] and "at most 3" in answer["reason"]


def test_too_much_minimum_load_gives_a_reason():
    data = {
        "reviewers_per_proposal": 1,
        "reviewers": [{"id": "r1", "min_load": 2}, {"id": "r2", "min_load": 1}],
        "proposals": [{"id": "p1"}, {"id": "p2"}],
    }
    answer = solve_json(data)
    assert answer["status"] == "infeasible"
    assert "min_load" in answer["reason"]


def test_hall_shortage_names_the_proposals_at_fault():
    # p1 and p2 can only use r1 and r2 (max_load 1 each) but need 4 reviews together; the
    # other reviewers share o with them and have room for p3..p6.
    data = {
        "reviewers_per_proposal": 2,
        "reviewers": [{"id": "r1", "max_load": 1}, {"id": "r2", "max_load": 1}]
        + [{"id": f"r{i}", "organisations": ["o"]} for i in range(3, 7)],
        "proposals": [{"id": "p1", "organisations": ["o"]}, {"id": "p2", "organisations": ["o"]}]
        + [{"id": f"p{j}"} for j in range(3, 7)],
    }
    answer = solve_json(data)
    assert answer["status"] == "infeasible"
    assert "uncovered" not in answer
    assert answer["reason"].startswith("proposals p1, p2 need 4 reviews together")
    assert "at most 2" in answer["reason"]


def test_reviewers_whose_minimum_cannot_be_met_together():
    # r1 and r2 must each review 2 proposals but only p1 and p2 are free of conflicts with them,
    # and those take 1 reviewer each.
    data = {
        "reviewers_per_proposal": 1,
        "reviewers": [
            {"id": "r1", "min_load": 2, "organisations": ["o"]},
            {"id": "r2", "min_load": 2, "organisations": ["o"]},
            {"id": "r3"},
        ],
        "proposals": [{"id": "p1"}, {"id": "p2"}]
        + [{"id": f"p{j}", "organisations": ["o"]} for j in range(3, 6)],
    }
    answer = solve_json(data)
    assert answer["status"] == "infeasible"
    assert answer["reason"].startswith("reviewers r1, r2 must review at least 4")


def test_no_proposals_is_an_empty_optimal_answer():
    data = {"reviewers_per_proposal": 2, "reviewers": [{"id": "r1"}], "proposals": []}
    answer = solve_json(data)
    assert answer["status"] == "optimal"
    assert answer["assignment"] == {} and answer["loads"] == {"r1": 0}


def test_solve_takes_the_dataclasses():
    problem = parse(design_example_completed())
    result = solve(problem)
    assert result.status == "optimal"
    assert set(result.assignment) == {"p1", "p2"}
