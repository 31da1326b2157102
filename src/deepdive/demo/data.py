"""The demo's partner organisations: clearly fictitious, on example.org domains.

Together they cover every partner type and all five ILO regions, and more than a third of
them act in a Pathfinder Country (AL CL FJ MG MW MR MX MA NP NG PE LK TN UG VN).
"""

# (name, acronym, partner type code, countries, themes, sectors, Action Groups)
# Action Groups: S supply chains, M migration, R rule of law, C conflicts and humanitarian.
ORGANISATIONS = [
    (
        "Kestrel Institute for Labour Research",
        "KILR",
        "academic",
        ["GB", "GH"],
        ["child_labour", "forced_labour"],
        ["cocoa"],
        "S",
    ),
    (
        "Lake Malawi Tea Workers' Union",
        "LMTWU",
        "workers_organisation",
        ["MW"],
        ["child_labour"],
        ["agriculture"],
        "S",
    ),
    (
        "Andes Coffee Growers' Federation",
        "ACGF",
        "employers_organisation",
        ["PE", "CO"],
        ["child_labour"],
        ["coffee"],
        "S",
    ),
    (
        "Atlas Garment Makers' Association",
        "AGMA",
        "employers_organisation",
        ["MA", "TN"],
        ["forced_labour"],
        ["cotton_garment"],
        "SM",
    ),
    (
        "Himalaya Safe Migration Network",
        "HSMN",
        "civil_society",
        ["NP", "QA"],
        ["forced_labour", "human_trafficking"],
        ["construction"],
        "MS",
    ),
    (
        "Blue Reef Fishers' Collective",
        "BRFC",
        "workers_organisation",
        ["FJ", "TH"],
        ["forced_labour", "human_trafficking"],
        ["fishing"],
        "S",
    ),
    (
        "Ministry of Labour of Lowland (demo)",
        "MoL-L",
        "government_institution",
        ["UG"],
        ["child_labour", "forced_labour"],
        ["agriculture", "mining"],
        "SR",
    ),
    (
        "National Labour Inspectorate of Coastland (demo)",
        "NLIC",
        "government_institution",
        ["MG"],
        ["child_labour"],
        ["fishing"],
        "SR",
    ),
    (
        "Republic of Northvale (demo country)",
        "",
        "country",
        ["AL"],
        ["human_trafficking"],
        [],
        "RM",
    ),
    (
        "Republic of Southmere (demo country)",
        "",
        "country",
        ["CL"],
        ["child_labour", "human_trafficking"],
        ["agriculture"],
        "SR",
    ),
    (
        "Sahel Cotton Producers' Cooperative",
        "SCPC",
        "business",
        ["MR", "ML"],
        ["child_labour"],
        ["cotton_garment", "agriculture"],
        "S",
    ),
    (
        "Copperline Mining Ltd (demo)",
        "CML",
        "business",
        ["CD", "ZM"],
        ["child_labour", "forced_labour"],
        ["mining"],
        "S",
    ),
    (
        "Cocoa Horizon Trading (demo)",
        "CHT",
        "business",
        ["CI", "GH"],
        ["child_labour"],
        ["cocoa"],
        "S",
    ),
    (
        "Fairpath Recruitment Alliance",
        "FRA",
        "civil_society",
        ["MX", "US"],
        ["forced_labour", "human_trafficking"],
        ["agriculture"],
        "M",
    ),
    (
        "Survivors' Voice Network (demo)",
        "SVN",
        "survivor_network",
        ["NG", "IT"],
        ["human_trafficking", "forced_labour"],
        [],
        "MC",
    ),
    (
        "Freedom Stories Media Collective",
        "FSMC",
        "media",
        ["LK", "IN"],
        ["forced_labour", "child_labour"],
        ["other"],
        "S",
    ),
    (
        "Global Tin Traceability Initiative (demo)",
        "GTTI",
        "international_organisation",
        ["ID", "MY"],
        ["child_labour"],
        ["mining"],
        "S",
    ),
    (
        "Regional Office for Decent Work in the Gulf (demo)",
        "RODWG",
        "international_organisation",
        ["JO", "LB", "AE"],
        ["forced_labour", "human_trafficking"],
        ["construction"],
        "MC",
    ),
    (
        "Pacific Islands Labour Forum",
        "PILF",
        "international_organisation",
        ["FJ", "PG"],
        ["forced_labour"],
        ["fishing"],
        "S",
    ),
    (
        "Confederation of Employers of Eastland (demo)",
        "CEE",
        "employers_organisation",
        ["VN"],
        ["child_labour"],
        ["cotton_garment", "coffee"],
        "S",
    ),
    (
        "Federation of Mine and Quarry Workers (demo)",
        "FMQW",
        "workers_organisation",
        ["BO", "PE"],
        ["child_labour"],
        ["mining"],
        "S",
    ),
    (
        "Delta Rural Education Trust",
        "DRET",
        "civil_society",
        ["NG"],
        ["child_labour"],
        ["agriculture", "cocoa"],
        "S",
    ),
    (
        "Northern Corridor Anti-Trafficking Coalition",
        "NCATC",
        "civil_society",
        ["AL", "GR", "MK"],
        ["human_trafficking"],
        [],
        "MR",
    ),
    (
        "Institute for Supply Chain Due Diligence (demo)",
        "ISCDD",
        "academic",
        ["DE", "NL"],
        ["forced_labour", "child_labour"],
        ["cotton_garment", "mining"],
        "S",
    ),
    (
        "University of Greenhill, Centre on Modern Slavery (demo)",
        "UGCMS",
        "academic",
        ["AU", "NZ"],
        ["forced_labour", "human_trafficking"],
        ["fishing"],
        "SR",
    ),
    (
        "Arab Workers' Solidarity Council (demo)",
        "AWSC",
        "workers_organisation",
        ["JO", "KW"],
        ["forced_labour"],
        ["construction"],
        "M",
    ),
    (
        "Gulf Employers' Forum on Fair Hiring (demo)",
        "GEFFH",
        "employers_organisation",
        ["QA", "SA"],
        ["forced_labour"],
        ["construction"],
        "M",
    ),
    (
        "Caribbean Child Rights Watch (demo)",
        "CCRW",
        "civil_society",
        ["HT", "DO"],
        ["child_labour", "human_trafficking"],
        ["agriculture"],
        "C",
    ),
    (
        "Highland Coffee Exporters (demo)",
        "HCE",
        "business",
        ["ET", "UG"],
        ["child_labour"],
        ["coffee"],
        "S",
    ),
    (
        "Silk Road Labour Observatory (demo)",
        "SRLO",
        "academic",
        ["UZ", "KZ"],
        ["forced_labour"],
        ["cotton_garment"],
        "S",
    ),
    (
        "Baltic Fair Shipping Network (demo)",
        "BFSN",
        "civil_society",
        ["EE", "PL"],
        ["forced_labour", "human_trafficking"],
        ["fishing"],
        "SM",
    ),
    (
        "Ministry of Social Protection of Riverland (demo)",
        "MSPR",
        "government_institution",
        ["NP"],
        ["child_labour", "human_trafficking"],
        ["construction"],
        "SRM",
    ),
    (
        "Secretariat for Migrant Workers of Westport (demo)",
        "SMWW",
        "government_institution",
        ["LK"],
        ["forced_labour", "human_trafficking"],
        [],
        "M",
    ),
    (
        "Atlantic Seafood Processors' Council (demo)",
        "ASPC",
        "employers_organisation",
        ["MR", "SN"],
        ["forced_labour", "child_labour"],
        ["fishing"],
        "S",
    ),
    (
        "Tunis Textile Workers' Syndicate (demo)",
        "TTWS",
        "workers_organisation",
        ["TN"],
        ["forced_labour"],
        ["cotton_garment"],
        "S",
    ),
    (
        "Mexican Agricultural Day-Labourers' Network (demo)",
        "MADLN",
        "workers_organisation",
        ["MX"],
        ["child_labour", "forced_labour"],
        ["agriculture"],
        "SM",
    ),
    (
        "Andean Community Radio Network (demo)",
        "ACRN",
        "media",
        ["PE", "EC"],
        ["child_labour"],
        ["mining", "agriculture"],
        "S",
    ),
    (
        "Investigative Reporters on Labour Abuse (demo)",
        "IRLA",
        "media",
        ["KE", "ZA"],
        ["human_trafficking", "forced_labour"],
        ["other"],
        "C",
    ),
    (
        "Hope After Trafficking Survivors' Alliance (demo)",
        "HATSA",
        "survivor_network",
        ["PH", "TH"],
        ["human_trafficking"],
        ["fishing"],
        "MC",
    ),
    (
        "Morocco Agri-Food Employers (demo)",
        "MAFE",
        "employers_organisation",
        ["MA"],
        ["child_labour"],
        ["agriculture"],
        "S",
    ),
    (
        "Uganda Child Labour Free Zones Trust (demo)",
        "UCLFZ",
        "civil_society",
        ["UG"],
        ["child_labour"],
        ["coffee", "agriculture"],
        "S",
    ),
    (
        "Madagascar Mica Transparency Group (demo)",
        "MMTG",
        "business",
        ["MG"],
        ["child_labour"],
        ["mining"],
        "S",
    ),
    (
        "Humanitarian Protection Partners (demo)",
        "HPP",
        "international_organisation",
        ["SY", "LB", "TR"],
        ["child_labour", "human_trafficking"],
        [],
        "C",
    ),
    (
        "Central American Maquila Observatory (demo)",
        "CAMO",
        "academic",
        ["HN", "GT"],
        ["forced_labour"],
        ["cotton_garment"],
        "SM",
    ),
    (
        "Viet Nam Seafood Workers' Union (demo)",
        "VSWU",
        "workers_organisation",
        ["VN"],
        ["forced_labour"],
        ["fishing"],
        "S",
    ),
]

ACTION_GROUP_LETTERS = {
    "S": "supply",
    "M": "migration",
    "R": "rule of law",
    "C": "conflict",
}

# The demo accounts of the contract (DESIGN.md) and the organisation each acts for.
ACCOUNTS = [
    ("secretariat@example.org", "Samira Secretariat", None, "Europe/Zurich", "en"),
    (
        "member@example.org",
        "Malik Member",
        "Lake Malawi Tea Workers' Union",
        "Africa/Blantyre",
        "en",
    ),
    (
        "reviewer@example.org",
        "Rosa Reviewer",
        "Kestrel Institute for Labour Research",
        "America/Lima",
        "en",
    ),
    (
        "host@example.org",
        "Hugo Host",
        "Atlas Garment Makers' Association",
        "Africa/Casablanca",
        "en",
    ),
]

# Proposals to the demo call: (lead, title, description, themes, sectors, countries, Outcomes,
# co-submitters as (organisation, decision: "confirmed" | "declined" | None for pending),
# organisations not in the directory, final state: "submitted" | "draft" | "withdrawn").
PROPOSALS = [
    (
        "Lake Malawi Tea Workers' Union",
        "Organising tea estate workers to end child labour in Malawi",
        "How a tea workers' union and a community trust built child labour free zones on three "
        "estates: collective bargaining clauses on school attendance, community monitoring and "
        "social dialogue with the estates' owners. Results after two harvests and what it takes "
        "to scale the model to coffee and tobacco.",
        ["child_labour"],
        ["agriculture"],
        ["MW", "UG"],
        [3, 4],
        [("Uganda Child Labour Free Zones Trust (demo)", "confirmed")],
        [],
        "submitted",
    ),
    (
        "Kestrel Institute for Labour Research",
        "Measuring child labour in cocoa supply chains: a household survey method",
        "A survey method that measures the prevalence of child labour in cocoa-growing "
        "households with sex-disaggregated data, tested in Ghana and Côte d'Ivoire. We present "
        "the questionnaire, the sampling frame and how companies and governments used the "
        "baseline to target remediation.",
        ["child_labour"],
        ["cocoa"],
        ["GH", "CI"],
        [1],
        [],
        [],
        "submitted",
    ),
    (
        "Institute for Supply Chain Due Diligence (demo)",
        "Measuring child labour in cocoa supply chains with a household survey",
        "A household survey method that measures the prevalence of child labour in cocoa-growing "
        "households, with sex-disaggregated data, tested in Ghana and Côte d'Ivoire, and how the "
        "baseline was used to target remediation.",
        ["child_labour"],
        ["cocoa"],
        ["GH", "CI"],
        [1],
        [],
        [],
        "submitted",
    ),
    (
        "Atlas Garment Makers' Association",
        "Due diligence for garment SMEs in North Africa",
        "Employers' and workers' organisations in Morocco and Tunisia built a due diligence "
        "toolkit that small garment suppliers can use. We share how it was designed with the "
        "workers' syndicate, the first audits, and the remediation of forced labour risks among "
        "migrant workers.",
        ["forced_labour"],
        ["cotton_garment"],
        ["MA", "TN"],
        [2, 3],
        [("Tunis Textile Workers' Syndicate (demo)", None)],
        [],
        "submitted",
    ),
    (
        "Himalaya Safe Migration Network",
        "Fair recruitment corridors from Nepal to the Gulf",
        "Zero recruitment fees in practice: a corridor between Nepal and Qatar where recruitment "
        "agencies, a workers' council and two construction firms share the cost of recruitment. "
        "What changed for workers, what the bilateral agreement says, and how to replicate it.",
        ["forced_labour", "human_trafficking"],
        ["construction"],
        ["NP", "QA"],
        [2, 4],
        [("Arab Workers' Solidarity Council (demo)", "confirmed")],
        ["Kathmandu Migrant Help Desk"],
        "submitted",
    ),
    (
        "Blue Reef Fishers' Collective",
        "Forced labour at sea: worker-driven monitoring in Pacific fisheries",
        "Fishers report abuses from their phones through a worker-driven monitoring app; the "
        "collective verifies reports and raises them with buyers. Two years of data from Fiji "
        "and Thailand, and the limits of technology without unions on board.",
        ["forced_labour", "human_trafficking"],
        ["fishing"],
        ["FJ", "TH"],
        [3],
        [],
        [],
        "submitted",
    ),
    (
        "Copperline Mining Ltd (demo)",
        "Child labour in artisanal cobalt mining: remediation that lasts",
        "Remediation for children found in artisanal cobalt mines: schooling, family income and "
        "community monitoring, three years on. A company, a cooperative and local authorities "
        "discuss what worked and what did not.",
        ["child_labour"],
        ["mining"],
        ["CD", "ZM"],
        [4],
        [],
        [],
        "submitted",
    ),
    (
        "Mexican Agricultural Day-Labourers' Network (demo)",
        "Migrant day labourers and forced labour in Mexican agriculture",
        "Debt bondage among migrant day labourers in export agriculture: what labour inspectors, "
        "growers and the day labourers' network learned from joint inspections.",
        ["forced_labour"],
        ["agriculture"],
        ["MX"],
        [2],
        [("Fairpath Recruitment Alliance", "declined")],
        [],
        "submitted",
    ),
    (
        "Madagascar Mica Transparency Group (demo)",
        "Mica supply chain transparency in Madagascar",
        "Tracing mica from artisanal mines to exporters.",
        ["child_labour"],
        ["mining"],
        ["MG"],
        [4],
        [],
        [],
        "draft",
    ),
    (
        "Andes Coffee Growers' Federation",
        "Coffee harvest and child labour in the Andes",
        "Seasonal childcare during the coffee harvest in Peru and Colombia.",
        ["child_labour"],
        ["coffee"],
        ["PE", "CO"],
        [4],
        [],
        [],
        "withdrawn",
    ),
]

# The series' and its calls' texts in French and Spanish (the main fields hold the English);
# "{year}" stands for the open call's year. The open call also has its own background and
# "who may apply" (OPEN_CALL_TEXTS, English).
SERIES_TRANSLATIONS = {
    "fr": {
        "title": "Série d'ateliers Deep Dive du Groupe d'action sur les chaînes "
        "d'approvisionnement",
        "description": (
            "Des ateliers virtuels d'approfondissement dans lesquels les membres du Groupe "
            "d'action sur les chaînes d'approvisionnement de l'Alliance 8.7 partagent leurs "
            "connaissances et leurs stratégies pour lutter contre le travail des enfants, le "
            "travail forcé et la traite des êtres humains dans les chaînes "
            "d'approvisionnement : recherche, politiques, plaidoyer, renforcement des "
            "capacités et action dans les pays."
        ),
    },
    "es": {
        "title": "Serie de talleres Deep Dive del Grupo de Acción sobre Cadenas de Suministro",
        "description": (
            "Talleres virtuales de profundización en los que los miembros del Grupo de Acción "
            "sobre Cadenas de Suministro de la Alianza 8.7 comparten conocimientos y "
            "estrategias para combatir el trabajo infantil, el trabajo forzoso y la trata de "
            "personas en las cadenas de suministro: investigación, políticas, incidencia, "
            "fortalecimiento de capacidades y acción en los países."
        ),
    },
}

OPEN_CALL_TEXTS = {
    "background": (
        "Achieving progress towards SDG target 8.7 requires collaboration to share knowledge "
        "and scale up action. As the Secretariat of the Supply Chains Action Group, the ILO "
        "coordinates a series of virtual deep dive workshops in which members share the "
        "impact of their work and the lessons learned on child labour, forced labour and "
        "human trafficking in supply chains.\n\n"
        "The workshops are an opportunity for members to present their research, policy, "
        "advocacy, capacity building and country-level action, and to find partners for "
        "joint work."
    ),
    "who_may_apply": (
        "Every member organisation of the Supply Chains Action Group may submit a proposal, "
        "alone or jointly with other members. A proposal is submitted by a verified contact "
        "of a member organisation; organisations that are not in the directory may take part "
        "as co-submitters."
    ),
}

CALL_TRANSLATIONS = {
    "call-{year}": {
        "fr": {
            "title": "Appel à propositions de webinaires {year}",
            "description": (
                "Tous les membres du Groupe d'action sur les chaînes d'approvisionnement sont "
                "invités à proposer un webinaire, seuls ou avec d'autres membres ; une "
                "attention particulière est accordée à l'action dans les pays pionniers."
            ),
            "background": (
                "Progresser vers la cible 8.7 des ODD exige de collaborer pour partager les "
                "connaissances et amplifier l'action. En tant que Secrétariat du Groupe "
                "d'action sur les chaînes d'approvisionnement, l'OIT coordonne une série "
                "d'ateliers virtuels d'approfondissement dans lesquels les membres partagent "
                "l'impact de leurs travaux et les enseignements tirés en matière de travail "
                "des enfants, de travail forcé et de traite des êtres humains dans les chaînes "
                "d'approvisionnement.\n\n"
                "Les ateliers permettent aux membres de présenter leurs travaux de recherche, "
                "leurs politiques, leurs actions de plaidoyer, de renforcement des capacités et "
                "dans les pays, et de trouver des partenaires pour des travaux communs."
            ),
            "who_may_apply": (
                "Toute organisation membre du Groupe d'action sur les chaînes "
                "d'approvisionnement peut soumettre une proposition, seule ou avec d'autres "
                "membres. La proposition est soumise par un contact vérifié d'une organisation "
                "membre ; des organisations absentes de l'annuaire peuvent s'y associer en "
                "tant que co-auteurs."
            ),
        },
        "es": {
            "title": "Convocatoria de propuestas de seminarios web {year}",
            "description": (
                "Se invita a todos los miembros del Grupo de Acción sobre Cadenas de Suministro "
                "a proponer un seminario web, solos o junto con otros miembros; se prestará "
                "especial atención a la acción en los países pioneros."
            ),
            "background": (
                "Avanzar hacia la meta 8.7 de los ODS exige colaborar para compartir "
                "conocimientos y ampliar la acción. Como Secretaría del Grupo de Acción sobre "
                "Cadenas de Suministro, la OIT coordina una serie de talleres virtuales de "
                "profundización en los que los miembros comparten el impacto de su trabajo y "
                "las lecciones aprendidas sobre el trabajo infantil, el trabajo forzoso y la "
                "trata de personas en las cadenas de suministro.\n\n"
                "Los talleres son una oportunidad para que los miembros presenten sus "
                "investigaciones, políticas y actividades de incidencia, de fortalecimiento de "
                "capacidades y de acción en los países, y encuentren socios para trabajar "
                "juntos."
            ),
            "who_may_apply": (
                "Cualquier organización miembro del Grupo de Acción sobre Cadenas de Suministro "
                "puede presentar una propuesta, sola o junto con otros miembros. La propuesta "
                "la presenta un contacto verificado de una organización miembro; las "
                "organizaciones que no figuran en el directorio pueden sumarse como "
                "coproponentes."
            ),
        },
    },
    "first-round-reviewed": {
        "fr": {
            "title": "Premier cycle de propositions de webinaires (en cours d'évaluation)",
            "description": (
                "Le premier cycle de la série : l'appel est clos et les propositions sont en "
                "cours d'évaluation."
            ),
        },
        "es": {
            "title": "Primera ronda de propuestas de seminarios web (en evaluación)",
            "description": (
                "La primera ronda de la serie: la convocatoria está cerrada y las propuestas "
                "se están evaluando."
            ),
        },
    },
    "2026-round-selected": {
        "fr": {
            "title": "Deuxième cycle : webinaires sélectionnés",
            "description": (
                "Le deuxième cycle de la série : les propositions ont été évaluées, la "
                "sélection est confirmée et les organisateurs ont confirmé leur participation. "
                "Reste à établir le calendrier."
            ),
        },
        "es": {
            "title": "Segunda ronda: seminarios web seleccionados",
            "description": (
                "La segunda ronda de la serie: las propuestas se han evaluado, la selección "
                "está confirmada y los anfitriones han confirmado su participación. Falta "
                "establecer el calendario."
            ),
        },
    },
    "2026-round-three": {
        "fr": {
            "title": "Troisième cycle : webinaires au programme",
            "description": (
                "Le troisième cycle de la série : son calendrier est publié et ses webinaires "
                "ont lieu dans les semaines à venir."
            ),
        },
        "es": {
            "title": "Tercera ronda: seminarios web en el programa",
            "description": (
                "La tercera ronda de la serie: su calendario está publicado y sus seminarios "
                "web se celebran en las próximas semanas."
            ),
        },
    },
    "2026-pilot": {
        "fr": {
            "title": "Webinaires pilotes",
            "description": (
                "La phase pilote de la série : trois webinaires, tenus ces dernières semaines."
            ),
        },
        "es": {
            "title": "Seminarios web piloto",
            "description": (
                "La fase piloto de la serie: tres seminarios web, celebrados en las últimas "
                "semanas."
            ),
        },
    },
}

# The communications officer of each member organisation of the Supply Chains Action Group:
# the people its invitations go to, in their own language and zone (UTC−6 to UTC+12), so that
# an invitation campaign on the demo shows English, French and Spanish e-mails with each
# person's own time. Organisation, name, zone, language.
COMMUNICATIONS_OFFICERS = [
    ("Andean Community Radio Network (demo)", "Lucía Andrade", "America/Guayaquil", "es"),
    ("Andes Coffee Growers' Federation", "Camilo Restrepo", "America/Bogota", "es"),
    ("Atlantic Seafood Processors' Council (demo)", "Mariem Sall", "Africa/Dakar", "fr"),
    ("Atlas Garment Makers' Association", "Salma Idrissi", "Africa/Casablanca", "fr"),
    ("Baltic Fair Shipping Network (demo)", "Piotr Nowak", "Europe/Warsaw", "en"),
    ("Blue Reef Fishers' Collective", "Mere Vunivalu", "Pacific/Fiji", "en"),
    ("Central American Maquila Observatory (demo)", "Andrea Pérez", "America/Tegucigalpa", "es"),
    ("Cocoa Horizon Trading (demo)", "Koffi Yao", "Africa/Abidjan", "fr"),
    ("Confederation of Employers of Eastland (demo)", "Nguyễn Thu Hà", "Asia/Ho_Chi_Minh", "en"),
    ("Copperline Mining Ltd (demo)", "Jean-Paul Ilunga", "Africa/Lubumbashi", "fr"),
    ("Delta Rural Education Trust", "Ngozi Okafor", "Africa/Lagos", "en"),
    ("Federation of Mine and Quarry Workers (demo)", "Rosa Mamani", "America/La_Paz", "es"),
    ("Freedom Stories Media Collective", "Nilanthi Perera", "Asia/Colombo", "en"),
    ("Global Tin Traceability Initiative (demo)", "Siti Rahmawati", "Asia/Jakarta", "en"),
    ("Highland Coffee Exporters (demo)", "Selam Bekele", "Africa/Addis_Ababa", "en"),
    ("Himalaya Safe Migration Network", "Sunita Gurung", "Asia/Kathmandu", "en"),
    ("Institute for Supply Chain Due Diligence (demo)", "Lena Vogel", "Europe/Berlin", "en"),
    ("Kestrel Institute for Labour Research", "Ama Owusu", "Africa/Accra", "en"),
    ("Lake Malawi Tea Workers' Union", "Chikondi Banda", "Africa/Blantyre", "en"),
    ("Madagascar Mica Transparency Group (demo)", "Hery Rakoto", "Indian/Antananarivo", "fr"),
    (
        "Mexican Agricultural Day-Labourers' Network (demo)",
        "Guadalupe Hernández",
        "America/Mexico_City",
        "es",
    ),
    ("Ministry of Labour of Lowland (demo)", "Grace Namuli", "Africa/Kampala", "en"),
    ("Ministry of Social Protection of Riverland (demo)", "Bishnu Thapa", "Asia/Kathmandu", "en"),
    ("Morocco Agri-Food Employers (demo)", "Nadia El Amrani", "Africa/Casablanca", "fr"),
    (
        "National Labour Inspectorate of Coastland (demo)",
        "Voahangy Rasoanaivo",
        "Indian/Antananarivo",
        "fr",
    ),
    ("Pacific Islands Labour Forum", "Kila Waiko", "Pacific/Port_Moresby", "en"),
    ("Republic of Southmere (demo country)", "Javiera Soto", "America/Santiago", "es"),
    ("Sahel Cotton Producers' Cooperative", "Oumar Traoré", "Africa/Bamako", "fr"),
    ("Silk Road Labour Observatory (demo)", "Dilnoza Karimova", "Asia/Tashkent", "en"),
    ("Tunis Textile Workers' Syndicate (demo)", "Leïla Ben Salah", "Africa/Tunis", "fr"),
    ("Uganda Child Labour Free Zones Trust (demo)", "Joseph Okello", "Africa/Kampala", "en"),
    (
        "University of Greenhill, Centre on Modern Slavery (demo)",
        "Hannah Wright",
        "Australia/Sydney",
        "en",
    ),
    ("Viet Nam Seafood Workers' Union (demo)", "Trần Văn Minh", "Asia/Ho_Chi_Minh", "en"),
]
