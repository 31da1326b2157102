"""The reference data shipped with Deep Dive, as plain Python, each row with its source and date.

Every text a reader sees is marked with ``gettext_noop``: ``makemessages`` extracts it and the
models translate it when they display it (``str()``, ``display_*()``). Codes and numbers are the
keys that ``load_reference_data`` matches existing rows on; never change a shipped one.
"""

from datetime import date
from typing import Any

from django.utils.translation import gettext_noop as _

BRIEFING_PACK = "Alliance 8.7 Global Coordinating Group briefing pack, New York, 17 July 2019"
BRIEFING_PACK_DATE = date(2019, 7, 17)

ACTION_GROUPS_SOURCE = {
    "source": (
        "Alliance 8.7 website, Action Groups page (undated; reports events up to November "
        "2019); " + BRIEFING_PACK + " (Guidance for Alliance 8.7 Action Groups)"
    ),
    "as_of": None,
}
WORKPLAN_SOURCE = {
    "source": "Updated Workplan of the Alliance 8.7 Supply Chains Action Group, adopted 2024",
    "as_of": date(2024, 1, 1),  # the workplan gives the year of adoption only
}
CONCEPT_NOTE_SOURCE = {
    "source": (
        "Concept Note: Workshop Series with Alliance 8.7 Supply Chain Action Group "
        "(undated), Selection process"
    ),
    "as_of": None,
}
THEMES_SOURCE = {
    "source": (
        "SDG target 8.7, UN General Assembly resolution 70/1; the series concept note seeks "
        "a balance between the three"
    ),
    "as_of": date(2015, 9, 25),
}
WORK_PLAN_PROPOSALS_SOURCE = {
    "source": BRIEFING_PACK + " (Supply Chains Action Group work plan proposals)",
    "as_of": BRIEFING_PACK_DATE,
}
PLATFORM_SOURCE = {"source": "Deep Dive: catch-all for sectors not listed", "as_of": None}
STAKEHOLDER_GROUPS_SOURCE = {
    "source": BRIEFING_PACK + " (stakeholder groups and their engagement journeys)",
    "as_of": BRIEFING_PACK_DATE,
}
PATHFINDERS_SOURCE = {
    "source": BRIEFING_PACK + " (Pathfinder Countries: formal manifestations of interest)",
    "as_of": BRIEFING_PACK_DATE,
}

COUNTRIES_SOURCE = {
    "source": (
        "ISO 3166-1 codes from the IANA tz database (tzdata iso3166.tab); English names from "
        "Unicode CLDR; ILO regional structure; UN M49 standard; main zone from the IANA tz "
        "database (zone.tab)"
    ),
    "as_of": date(2024, 2, 29),  # iso3166.tab: current as of ISO/TC 46 N1127, 2024-02-29
}

SUPPLY_CHAINS = "supply_chains"

ACTION_GROUPS: list[dict[str, Any]] = [
    {
        "code": SUPPLY_CHAINS,
        "name": _("Supply Chains"),
        "chairs": _("ILO (chair)"),
        "description": _(
            "A hub where governments, businesses, trade unions and others come together in "
            "support of plans and initiatives with global and systemic dimensions in supply "
            "chains. It works through four working groups: knowledge gaps and research; "
            "capacity building and tools; priority countries and supply chains; advocacy and "
            "partnerships."
        ),
        **ACTION_GROUPS_SOURCE,
    },
    {
        "code": "migration",
        "name": _("Migration"),
        "chairs": _("IOM and UNICEF (co-chairs)"),
        "description": _(
            "Focuses on the dynamics of migration within or across borders and on the "
            "vulnerability to abuse and exploitation that migrants face, whether they move "
            "irregularly or through regular channels, extending to host and transit communities "
            "and to those who remain behind. It looks for the points in the migration process "
            "where interventions are most effective, to support country-level action towards "
            "SDG target 8.7."
        ),
        **ACTION_GROUPS_SOURCE,
    },
    {
        "code": "rule_of_law_governance",
        "name": _("Rule of Law and Governance"),
        "chairs": _("OHCHR (chair)"),
        "description": _(
            "Provides guidance to countries to improve legal and policy frameworks, including "
            "access to justice and the right to effective remedies. It provides tools such as "
            "model laws and supports the setting up of national accountability institutions "
            "such as equality bodies."
        ),
        **ACTION_GROUPS_SOURCE,
    },
    {
        "code": "conflicts_humanitarian",
        "name": _("Conflicts and Humanitarian Settings"),
        "chairs": _("UNICEF (chair)"),
        "description": _(
            "Focuses on countries and regions in crisis and on the areas where refugees and "
            "internally displaced people settle. It improves standard prevention models with "
            "new research findings and plans a study on the prevalence of forced labour and "
            "child labour in crisis contexts."
        ),
        **ACTION_GROUPS_SOURCE,
    },
]

# The Supply Chains Action Group's Outcomes and Outputs, as worded in the 2024 workplan.
OUTCOMES: list[dict[str, Any]] = [
    {
        "action_group": SUPPLY_CHAINS,
        "number": 1,
        "title": _(
            "Advance research and understanding on child labour, forced labour and human "
            "trafficking in supply chains"
        ),
        "outputs": [
            _(
                "Statistical surveys developed to show the prevalence of child labour and forced "
                "labour in at least two supply chains with sex-disaggregated data where possible."
            ),
            _(
                "Research carried out on trends related to root causes of child labour, forced "
                "labour and human trafficking, including on the impact of informality and decent "
                "work deficits, in global and domestic supply chains (with sex disaggregated data "
                "where possible) and of existing tools available to prevent, mitigate and "
                "remediate child labour, forced labour and human trafficking in supply chains, "
                "including an updated version of the Alliance 8.7 report Ending child labour, "
                "forced labour and human trafficking in global supply chains."
            ),
            _(
                "Pathfinder countries have developed their capacity to collect data and produce "
                "baselines to measure progress with sex-disaggregated data where possible."
            ),
            _(
                "Report published on the impact and effectiveness of due diligence legislation "
                "on child labour, forced labour and human trafficking among affected and "
                "potentially affected groups and other relevant actors in supply chains."
            ),
            _("Report published on the profits and poverty of child labour."),
        ],
        **WORKPLAN_SOURCE,
    },
    {
        "action_group": SUPPLY_CHAINS,
        "number": 2,
        "title": _(
            "Support policy coherence and advocacy at different levels on child labour, forced "
            "labour and human trafficking in supply chains"
        ),
        "outputs": [
            _(
                "Knowledge sharing and understanding catalysed on procurement policies, "
                "including on the role of governments to advance public and private responsible "
                "procurement and how such policies address child labour, forced labour and human "
                "trafficking."
            ),
            _(
                "At least four initiatives started on due diligence on child labour, forced "
                "labour and human trafficking in the lowest tiers of the supply chain in "
                "collaboration with businesses, including Employers' Organisations, their SME "
                "membership and business members of the Alliance 8.7 networks (e.g. Child Labour "
                "Platform and Forced Labour Network). The initiatives will facilitate meaningful "
                "consultations with affected and potentially affected groups and other relevant "
                "stakeholders, including trade unions."
            ),
            _(
                "Joint advocacy efforts from A8.7 members on addressing child labour, forced "
                "labour and human trafficking in supply chains supported."
            ),
        ],
        **WORKPLAN_SOURCE,
    },
    {
        "action_group": SUPPLY_CHAINS,
        "number": 3,
        "title": _(
            "Promote greater cooperation on capacity building and tools to address child "
            "labour, forced labour and human trafficking in supply chains"
        ),
        "outputs": [
            _(
                "Capacity building activities and tools developed for Alliance 8.7 members to "
                "share information, including a workshop series, on their contribution to reach "
                "Target 8.7 in supply chains."
            ),
            _(
                "Existing Alliance 8.7 partners' initiatives scaled up or developed to improve "
                "workers' access to technology designed to prevent child labour, forced labour "
                "and human trafficking in supply chains, including through knowledge of labour "
                "rights."
            ),
            _(
                "Alliance 8.7 efforts leveraged to support workers' and employers' organisations "
                "(with a particular focus on their SME members) to raise awareness and build "
                "capacities to prevent, mitigate and remediate child labour, forced labour and "
                "human trafficking."
            ),
            _(
                "Capacity on due diligence built among Employers' Organisations, their SME "
                "membership and business members of the Alliance 8.7 networks (e.g. Child Labour "
                "Platform and Forced Labour Network)."
            ),
        ],
        **WORKPLAN_SOURCE,
    },
    {
        "action_group": SUPPLY_CHAINS,
        "number": 4,
        "title": _("Accelerating action in key countries and supply chains"),
        "outputs": [
            _(
                "Existing Alliance 8.7 partners' initiatives scaled up or consolidated to address "
                "one or more of the systemic root causes, including informality and decent work "
                "deficits, of child labour, forced labour and human trafficking in key sectors: "
                "mining, cocoa, coffee, cotton (most likely as a partnership of FAO, ILO, EU, "
                "World Bank and other stakeholders), and fishing."
            ),
            _(
                "Dialogue promoted between home and host country governments regarding child "
                "labour, forced labour and human trafficking in supply chains."
            ),
            _(
                "Social dialogue promoted in key sectors (mining, cocoa, coffee, cotton and "
                "fishing) through improved participation of social partners' organizations and "
                "engagement with local stakeholders in responsible sourcing and recruitment "
                "initiatives."
            ),
            _(
                "Knowledge and best practices sharing and multistakeholder collaboration "
                "catalysed on specific sectors, including mining, cocoa, coffee, cotton/garment, "
                "and fishing."
            ),
        ],
        **WORKPLAN_SOURCE,
    },
]

CRITERIA: list[dict[str, Any]] = [
    {
        "code": "labour_standards",
        "name": _("Alignment with international labour standards and approaches"),
        "description": _(
            "Submissions should reflect alignment with ILO Fundamental Principles and Rights at "
            "Work, and include engagement with social partners as is applicable."
        ),
        **CONCEPT_NOTE_SOURCE,
    },
    {
        "code": "root_causes",
        "name": _("Root causes"),
        "description": _(
            "Submissions should demonstrate how they contribute towards eliminating the root "
            "causes of child labour, forced labour and / or human trafficking in supply chains."
        ),
        **CONCEPT_NOTE_SOURCE,
    },
    {
        "code": "scalability",
        "name": _("Scalability of results"),
        "description": _(
            "Submissions should show how the activity demonstrated meaningful results and could "
            "be replicated in other contexts."
        ),
        **CONCEPT_NOTE_SOURCE,
    },
    {
        "code": "innovation",
        "name": _("Innovative nature"),
        "description": _(
            "Submissions should highlight approaches that demonstrate innovation or unique "
            "progress within the respective Outcome."
        ),
        **CONCEPT_NOTE_SOURCE,
    },
]

THEMES: list[dict[str, Any]] = [
    {"code": "child_labour", "name": _("Child labour"), **THEMES_SOURCE},
    {"code": "forced_labour", "name": _("Forced labour"), **THEMES_SOURCE},
    {"code": "human_trafficking", "name": _("Human trafficking"), **THEMES_SOURCE},
]

SECTORS: list[dict[str, Any]] = [
    {"code": "mining", "name": _("Mining"), "is_key_sector": True, **WORKPLAN_SOURCE},
    {"code": "cocoa", "name": _("Cocoa"), "is_key_sector": True, **WORKPLAN_SOURCE},
    {"code": "coffee", "name": _("Coffee"), "is_key_sector": True, **WORKPLAN_SOURCE},
    {
        "code": "cotton_garment",
        "name": _("Cotton and garment"),
        "is_key_sector": True,
        **WORKPLAN_SOURCE,
    },
    {"code": "fishing", "name": _("Fishing"), "is_key_sector": True, **WORKPLAN_SOURCE},
    {"code": "agriculture", "name": _("Agriculture"), **WORK_PLAN_PROPOSALS_SOURCE},
    {"code": "construction", "name": _("Construction"), **WORK_PLAN_PROPOSALS_SOURCE},
    {"code": "other", "name": _("Other"), **PLATFORM_SOURCE},
]

PARTNER_TYPES: list[dict[str, Any]] = [
    {"code": "country", "name": _("Country")},
    {"code": "government_institution", "name": _("Government institution")},
    {
        "code": "international_organisation",
        "name": _("International or regional organisation"),
    },
    {"code": "civil_society", "name": _("Civil society organisation")},
    {"code": "workers_organisation", "name": _("Workers' organisation"), "is_social_partner": True},
    {
        "code": "employers_organisation",
        "name": _("Employer and business membership organisation"),
        "is_social_partner": True,
    },
    {"code": "business", "name": _("Business")},
    {"code": "academic", "name": _("Academic institution or think tank")},
    {"code": "media", "name": _("Media or journalist network")},
    {"code": "survivor_network", "name": _("Survivor network")},
]
PARTNER_TYPES = [{**row, **STAKEHOLDER_GROUPS_SOURCE} for row in PARTNER_TYPES]

# ISO 3166 codes of the 15 formal manifestations of interest listed on 17 July 2019:
# Albania, Chile, Fiji, Madagascar, Malawi, Mauritania, Mexico, Morocco, Nepal, Nigeria, Peru,
# Sri Lanka, Tunisia, Uganda, Viet Nam.
PATHFINDER_COUNTRIES: list[dict[str, Any]] = [
    {"country": code, **PATHFINDERS_SOURCE}
    for code in "AL CL FJ MG MW MR MX MA NP NG PE LK TN UG VN".split()
]
