"""What each score means, criterion by criterion: the labels of the review form's radio buttons.

Written from the concept note's wording of the four selection criteria (seeds/001, the codes of
src/deepdive/reference/data/seed.py). A criterion added by the secretariat without descriptors
gets the generic scale ``GENERIC``.
"""

from django.utils.translation import gettext_lazy as _

SCORES = (1, 2, 3, 4, 5)

GENERIC = {
    1: _("Not met"),
    2: _("Weakly met"),
    3: _("Partly met"),
    4: _("Well met"),
    5: _("Fully met, exemplary"),
}

DESCRIPTORS = {
    "labour_standards": {
        1: _(
            "No reference to the ILO Fundamental Principles and Rights at Work; social partners "
            "absent where they are relevant."
        ),
        2: _(
            "Mentions international labour standards in passing; no real engagement with "
            "workers' or employers' organisations."
        ),
        3: _(
            "Consistent with the Fundamental Principles and Rights at Work; social partners "
            "consulted or named."
        ),
        4: _(
            "Built on the Fundamental Principles and Rights at Work; social partners take an "
            "active part."
        ),
        5: _(
            "Exemplary alignment with the Fundamental Principles and Rights at Work; social "
            "partners shape the work and speak in the webinar."
        ),
    },
    "root_causes": {
        1: _("Treats symptoms only; root causes are not addressed."),
        2: _("Names root causes but does not show how the work affects them."),
        3: _(
            "Addresses some root causes of child labour, forced labour or human trafficking "
            "in supply chains."
        ),
        4: _("Shows clearly how the work reduces root causes, with evidence."),
        5: _("Demonstrated, lasting contribution to eliminating the root causes in supply chains."),
    },
    "scalability": {
        1: _("No results shown; replication is not considered."),
        2: _("Early or anecdotal results; replication is unclear."),
        3: _("Some meaningful results; replication elsewhere is plausible."),
        4: _("Meaningful, documented results and a credible path to other contexts."),
        5: _("Strong results already replicated, or clearly ready to be, in other contexts."),
    },
    "innovation": {
        1: _("A familiar approach; nothing new for the Outcome."),
        2: _("Small variations on common practice."),
        3: _("Some new elements or a new context for a known approach."),
        4: _("A clearly innovative approach or notable progress within the Outcome."),
        5: _("Ground-breaking: unique progress within the Outcome that others can learn from."),
    },
}


def descriptors_for(code: str) -> dict[int, str]:
    """The five descriptors {1: …, 5: …} of the criterion ``code``."""
    return DESCRIPTORS.get(code, GENERIC)
