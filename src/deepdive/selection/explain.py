"""Why a proposal is in or out of a run, in the reader's words and language.

The ``select`` optimiser writes an English sentence with its codes for the command line
(``civil_society``, ``min_per_theme.child_labour``, ``p12``); the pages word the same reason
here instead, from the data it returns beside the sentence (``Explanation.reason``, stored in
the run's ``result["details"][id]["reason"]``): codes become the reference tables' names in the
reader's language, ids become titles, figures are rounded, and a loss says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def number(value: Any) -> str:
    """A figure rounded to two decimals at most, with the reader's decimal separator."""
    try:
        rounded = round(float(value), 2)
    except (TypeError, ValueError):
        return "—"
    if rounded == 0:
        rounded = 0.0  # no "-0"
    places = next(d for d in (0, 1, 2) if abs(rounded - round(rounded, d)) < 1e-9)
    return formats.number_format(rounded, decimal_pos=places)


def listing(items: list[str]) -> str:
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def quota_words(labels, name: str, minimum: int) -> str:
    """``min_per_theme.child_labour`` with 2: "at least 2 webinars on child labour"."""
    kind, _dot, key = name.partition(".")
    if kind == "min_per_theme":
        return ngettext(
            "at least %(n)s webinar on %(theme)s",
            "at least %(n)s webinars on %(theme)s",
            minimum,
        ) % {"n": minimum, "theme": labels.themes.get(key, key)}
    if kind == "min_per_outcome":
        return ngettext(
            "at least %(n)s webinar towards %(outcome)s",
            "at least %(n)s webinars towards %(outcome)s",
            minimum,
        ) % {"n": minimum, "outcome": labels.outcome(key)}
    return _("a minimum of the rules")


class Wording:
    """Words a run's reasons for one reader: ``labels`` (the reference names), ``title`` (a
    proposal's id to its title) and ``organisation`` (an organisation's id to its name)."""

    def __init__(
        self,
        labels,
        title: Callable[[str], str],
        organisation: Callable[[str], str],
    ):
        self.labels = labels
        self.title = title
        self.organisation = organisation

    def titles(self, ids: list[str]) -> str:
        return listing([f"“{self.title(pid)}”" for pid in ids])

    # --- Selected ---------------------------------------------------------------------------

    def selected(self, code: str, reason: dict[str, Any]) -> str:
        labels = self.labels
        parts = []
        if reason.get("joint"):
            parts.append(_("a joint proposal (+%(x)s)") % {"x": number(reason["joint"])})
        if reason.get("pathfinder"):
            parts.append(
                _("action in a Pathfinder Country (+%(x)s)") % {"x": number(reason["pathfinder"])}
            )
        if reason.get("only_org_types"):
            names = [labels.org_types.get(c, c) for c in reason["only_org_types"]]
            parts.append(
                _("the only one with a partner of the type %(types)s (+%(x)s)")
                % {"types": listing(names), "x": number(reason.get("org_type_gain"))}
            )
        if reason.get("only_regions"):
            names = [labels.regions.get(c, c) for c in reason["only_regions"]]
            parts.append(
                _("the only one in %(regions)s (+%(x)s)")
                % {"regions": listing(names), "x": number(reason.get("region_gain"))}
            )
        for quota in reason.get("quotas", []):
            parts.append(
                _("needed for %(quota)s")
                % {"quota": quota_words(labels, quota["quota"], quota["minimum"])}
            )
        score = number(reason.get("score"))
        if code == "included":
            head = _("Chosen: locked in by the rules; its score is %(score)s") % {"score": score}
        else:
            head = _("Chosen for its score of %(score)s") % {"score": score}
        if parts:
            return _("%(head)s, and it brings %(parts)s.") % {"head": head, "parts": listing(parts)}
        return _("%(head)s.") % {"head": head}

    # --- Left out ---------------------------------------------------------------------------

    def broken(self, item: dict[str, Any]) -> str:
        rule, key, inside = item.get("rule"), item.get("key", ""), item.get("with", [])
        if rule == "max_per_organisation":
            return _("the limit per organisation (%(name)s is already in %(titles)s)") % {
                "name": self.organisation(key),
                "titles": self.titles(inside),
            }
        if rule == "max_per_lead_org_type":
            return _("the limit per lead partner type (%(name)s already leads %(titles)s)") % {
                "name": self.labels.org_types.get(key, key),
                "titles": self.titles(inside),
            }
        if rule == "max_per_region":
            return _("the limit per region (%(name)s is already covered by %(titles)s)") % {
                "name": self.labels.regions.get(key, key),
                "titles": self.titles(inside),
            }
        return _("a limit of the rules")

    def left_out(self, code: str, reason: dict[str, Any], rule_label: Callable) -> str | None:
        bound = not reason.get("exact", True)
        dropped = reason.get("dropped", [])
        if code == "excluded":
            return _("Left out: locked out by the rules.")
        if code == "no_solution":
            return _("No selection was made: the rules contradict each other.")
        if code in ("cannot_fit", "no_swap"):
            if reason.get("all_seats_included"):
                return ngettext(
                    "Left out: the only seat goes to a proposal locked in by the rules.",
                    "Left out: all %(n)s seats go to proposals locked in by the rules.",
                    reason.get("seats") or 0,
                ) % {"n": reason.get("seats")}
            if reason.get("breaks"):
                text = _("Left out: with it, the series would break %(rules)s.") % {
                    "rules": listing([self.broken(b) for b in reason["breaks"]])
                }
            elif reason.get("rules"):
                text = _("Left out: no series with it keeps these rules together: %(rules)s.") % {
                    "rules": listing([str(rule_label(r)) for r in reason["rules"]])
                }
            else:
                text = _("Left out: no series with it keeps the rules.")
            if bound:
                text += " " + _("(Only single swaps with a chosen proposal were tried.)")
            return text
        if "objective" not in reason:
            return None
        figures = {
            "loss": number(reason.get("loss")),
            "value": number(reason.get("objective")),
            "with": number(reason.get("objective_with")),
            "titles": self.titles(dropped),
        }
        if code == "quota_cost":
            extra = int(reason.get("short_with", 0)) - int(reason.get("short", 0))
            return ngettext(
                "Left out: with it instead of %(titles)s, the series would fall %(n)s more "
                "place short of its minimums per theme and Outcome (%(with_short)s instead of "
                "%(short)s), and the minimums come first.",
                "Left out: with it instead of %(titles)s, the series would fall %(n)s more "
                "places short of its minimums per theme and Outcome (%(with_short)s instead of "
                "%(short)s), and the minimums come first.",
                extra,
            ) % {
                "titles": figures["titles"] or _("another proposal"),
                "n": extra,
                "with_short": reason.get("short_with"),
                "short": reason.get("short"),
            }
        if code == "lower_objective":
            if bound:
                return (
                    _(
                        "Left out: forcing it in would lower the series' value by at most "
                        "%(loss)s (from %(value)s to %(with)s, swapping it for %(titles)s), "
                        "because %(titles)s brings more to the series: a higher score, or "
                        "bonuses and coverage it does not bring."
                    )
                    % figures
                )
            if not dropped:
                return (
                    _(
                        "Left out: forcing it in would lower the series' value by %(loss)s "
                        "(from %(value)s to %(with)s), because the best series with it must "
                        "leave out others that bring more."
                    )
                    % figures
                )
            return (
                _(
                    "Left out: forcing it in would lower the series' value by %(loss)s (from "
                    "%(value)s to %(with)s), because the best series with it must drop "
                    "%(titles)s, which brings more: a higher score, or bonuses and coverage it "
                    "does not bring."
                )
                % figures
            )
        if code == "tie":
            return (
                _(
                    "Left out, but a tie: a series with it instead of %(titles)s is worth as "
                    "much (%(with)s); the optimiser kept the other."
                )
                % figures
            )
        if code == "time_limit":
            return (
                _(
                    "Left out, although a series with it instead of %(titles)s would do better "
                    "(%(with)s): the optimiser stopped at its time limit first."
                )
                % figures
            )
        return None


def negative_gain(gain: float | None, chosen_short: int, top_short: int) -> str:
    """Why the chosen series is worth less than the top by score, when it is; else ""."""
    if gain is None or gain >= -1e-9:
        return ""
    loss = number(-gain)
    if top_short > chosen_short:
        return ngettext(
            "The chosen series is worth %(loss)s less than the top by score, because the top "
            "by score falls %(n)s place short of the minimums per theme and Outcome: the "
            "optimiser meets the minimums first, then makes the series worth as much as it can.",
            "The chosen series is worth %(loss)s less than the top by score, because the top "
            "by score falls %(n)s places short of the minimums per theme and Outcome: the "
            "optimiser meets the minimums first, then makes the series worth as much as it can.",
            top_short - chosen_short,
        ) % {"loss": loss, "n": top_short - chosen_short}
    return _(
        "The chosen series is worth %(loss)s less than the top by score, because the top by "
        "score breaks the rules of this run (limits per organisation, partner type or region, "
        "or proposals locked in or out), which every chosen series keeps."
    ) % {"loss": loss}
