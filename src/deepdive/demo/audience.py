"""The public audience of the pilot's held webinars (issue 15): some thirty people each, beyond
the named members and public registrants of ``workspaces.py``, so that the participation report
has groups of five and more to show.

Made up, and the same on every load: each person is derived from their country's lists of
names (``COUNTRIES``) and their place among that country's people (``person``); each webinar's
audience is a list of countries (``AUDIENCES``), where a country marked ``*`` brings back
someone of that country who came to an earlier pilot webinar. Their answers vary with them:
sex, partner type and organisation, language and time zone (the country's own: every zone lies
between UTC−6 and UTC+12). Their addresses are on example.org, example.net and example.com only.
"""

from dataclasses import dataclass

from django.utils.text import slugify

DOMAINS = ("example.org", "example.net", "example.com")


@dataclass(frozen=True)
class Country:
    """Where people come from: the country's main time zone, the language they read the series
    in, a city for their organisations' names, and names (``surnames``: "male/female" where the
    form differs; ``family_first``: the family name is said first)."""

    zone: str
    language: str
    city: str
    women: tuple[str, ...]
    men: tuple[str, ...]
    surnames: tuple[str, ...]
    family_first: bool = False


# Names that would be matched with someone else (the pilot's speakers and named people, the
# unregistered attendees of ``webinars.attendance.samples``) are left out.
COUNTRIES = {
    # Africa
    "UG": Country(
        "Africa/Kampala",
        "en",
        "Kampala",
        ("Sarah", "Esther", "Prossy"),
        ("Joseph", "Moses", "Ivan"),
        ("Okello", "Mugisha", "Kato", "Byaruhanga"),
    ),
    "KE": Country(
        "Africa/Nairobi",
        "en",
        "Nairobi",
        ("Faith", "Mercy", "Akinyi"),
        ("Brian", "Kevin", "Otieno"),
        ("Ochieng", "Kariuki", "Njoroge", "Wekesa"),
    ),
    "GH": Country(
        "Africa/Accra",
        "en",
        "Accra",
        ("Abena", "Efua", "Akosua"),
        ("Kofi", "Yaw", "Kwabena"),
        ("Mensah", "Asante", "Owusu", "Appiah"),
    ),
    "NG": Country(
        "Africa/Lagos",
        "en",
        "Lagos",
        ("Ngozi", "Funmilayo", "Aisha"),
        ("Emeka", "Tunde", "Ibrahim"),
        ("Okonkwo", "Balogun", "Eze", "Abubakar"),
    ),
    "MW": Country(
        "Africa/Blantyre",
        "en",
        "Lilongwe",
        ("Chikondi", "Tamanda", "Thoko"),
        ("Mphatso", "Blessings", "Kondwani"),
        ("Banda", "Phiri", "Mwale", "Chirwa"),
    ),
    "MG": Country(
        "Indian/Antananarivo",
        "fr",
        "Antananarivo",
        ("Hanitra", "Voahangy", "Fara"),
        ("Hery", "Njaka", "Rado"),
        ("Rakotomalala", "Rasoanaivo", "Andrianarisoa", "Razafindrabe"),
    ),
    "CI": Country(
        "Africa/Abidjan",
        "fr",
        "Abidjan",
        ("Aya", "Adjoua", "Mariam"),
        ("Yao", "Konan", "Seydou"),
        ("Kouassi", "Koné", "Traoré", "Bamba"),
    ),
    "SN": Country(
        "Africa/Dakar",
        "fr",
        "Dakar",
        ("Fatou", "Aminata", "Awa"),
        ("Mamadou", "Ousmane", "Cheikh"),
        ("Ndiaye", "Diop", "Sow", "Fall"),
    ),
    "MA": Country(
        "Africa/Casablanca",
        "fr",
        "Casablanca",
        ("Salma", "Khadija", "Imane"),
        ("Karim", "Mehdi", "Hamza"),
        ("Bennani", "Alaoui", "Tazi", "Chraibi"),
    ),
    "TN": Country(
        "Africa/Tunis",
        "fr",
        "Tunis",
        ("Ines", "Rim", "Sonia"),
        ("Anis", "Walid", "Slim"),
        ("Trabelsi", "Ben Salah", "Jaziri", "Gharbi"),
    ),
    # Arab States
    "JO": Country(
        "Asia/Amman",
        "en",
        "Amman",
        ("Rania", "Dana", "Hala"),
        ("Omar", "Zaid", "Khaled"),
        ("Al-Masri", "Nasser", "Khoury", "Qasem"),
    ),
    "LB": Country(
        "Asia/Beirut",
        "fr",
        "Beyrouth",
        ("Nour", "Maya", "Rita"),
        ("Elie", "Georges", "Ziad"),
        ("Khalil", "Saad", "Aoun", "Frem"),
    ),
    "AE": Country(
        "Asia/Dubai",
        "en",
        "Dubai",
        ("Mariam", "Noura", "Shamma"),
        ("Ahmed", "Rashid", "Saeed"),
        ("Al Mansoori", "Al Hashimi", "Al Suwaidi", "Al Ketbi"),
    ),
    # Americas
    "MX": Country(
        "America/Mexico_City",
        "es",
        "Puebla",
        ("Guadalupe", "Mariana", "Fernanda"),
        ("Luis", "Alejandro", "Miguel"),
        ("Hernández", "García", "Ramírez", "Torres"),
    ),
    "GT": Country(
        "America/Guatemala",
        "es",
        "Quetzaltenango",
        ("María José", "Ixchel", "Andrea"),
        ("Byron", "Edgar", "Juan Pablo"),
        ("López", "Xol", "Pérez", "Cifuentes"),
    ),
    "HN": Country(
        "America/Tegucigalpa",
        "es",
        "San Pedro Sula",
        ("Karla", "Suyapa", "Daniela"),
        ("Óscar", "Marvin", "Javier"),
        ("Mejía", "Zelaya", "Castillo", "Reyes"),
    ),
    "PE": Country(
        "America/Lima",
        "es",
        "Arequipa",
        ("Milagros", "Carmen", "Giuliana"),
        ("Jorge", "César", "Renzo"),
        ("Mamani", "Vargas", "Huamán", "Chávez"),
    ),
    "CL": Country(
        "America/Santiago",
        "es",
        "Valparaíso",
        ("Camila", "Javiera", "Constanza"),
        ("Matías", "Sebastián", "Felipe"),
        ("González", "Muñoz", "Soto", "Contreras"),
    ),
    "CO": Country(
        "America/Bogota",
        "es",
        "Medellín",
        ("Paola", "Natalia", "Catalina"),
        ("Andrés", "Julián", "Camilo"),
        ("Rodríguez", "Moreno", "Cárdenas", "Ospina"),
    ),
    "BR": Country(
        "America/Sao_Paulo",
        "en",
        "Recife",
        ("Juliana", "Beatriz", "Thais"),
        ("Thiago", "Lucas", "Bruno"),
        ("Silva", "Santos", "Oliveira", "Souza"),
    ),
    "CA": Country(
        "America/Toronto",
        "en",
        "Toronto",
        ("Emily", "Sophie", "Priya"),
        ("Liam", "Ethan", "Samuel"),
        ("Tremblay", "MacDonald", "Singh", "Campbell"),
    ),
    # Asia and the Pacific
    "VN": Country(
        "Asia/Ho_Chi_Minh",
        "en",
        "Can Tho",
        ("Thi Lan", "Thi Mai", "Thi Thu"),
        ("Van Hung", "Duc Anh", "Quang Huy"),
        ("Pham", "Le", "Vo", "Dang"),
        family_first=True,
    ),
    "NP": Country(
        "Asia/Kathmandu",
        "en",
        "Kathmandu",
        ("Sita", "Anjali", "Pooja"),
        ("Ramesh", "Bikash", "Sanjay"),
        ("Shrestha", "Gurung", "Tamang", "Thapa"),
    ),
    "LK": Country(
        "Asia/Colombo",
        "en",
        "Colombo",
        ("Dilani", "Kumari", "Tharushi"),
        ("Ruwan", "Chaminda", "Kasun"),
        ("Fernando", "Jayasinghe", "Wickramasinghe", "Bandara"),
    ),
    "BD": Country(
        "Asia/Dhaka",
        "en",
        "Dhaka",
        ("Nusrat", "Farzana", "Sharmin"),
        ("Rafiq", "Tanvir", "Arif"),
        ("Rahman", "Hossain", "Islam", "Chowdhury"),
    ),
    "TH": Country(
        "Asia/Bangkok",
        "en",
        "Samut Sakhon",
        ("Siriporn", "Nanthaporn", "Kanya"),
        ("Somchai", "Anan", "Prasert"),
        ("Srisuk", "Chaiyaporn", "Wongsa", "Boonmee"),
    ),
    "ID": Country(
        "Asia/Jakarta",
        "en",
        "Jakarta",
        ("Dewi", "Siti", "Ratna"),
        ("Budi", "Agus", "Rizky"),
        ("Santoso", "Wijaya", "Saputra", "Hidayat"),
    ),
    "PH": Country(
        "Asia/Manila",
        "en",
        "Cebu",
        ("Joy", "Rowena", "Kristine"),
        ("Paolo", "Jericho", "Ramon"),
        ("Bautista", "Dela Cruz", "Villanueva", "Mendoza"),
    ),
    "FJ": Country(
        "Pacific/Fiji",
        "en",
        "Lautoka",
        ("Salote", "Mereani", "Litia"),
        ("Sitiveni", "Apisai", "Viliame"),
        ("Naivalu", "Waqa", "Rokovada", "Delai"),
    ),
    "AU": Country(
        "Australia/Sydney",
        "en",
        "Sydney",
        ("Chloe", "Hannah", "Mia"),
        ("Jack", "Oliver", "Tom"),
        ("Walker", "O'Brien", "Kelly", "Taylor"),
    ),
    # Europe and Central Asia
    "AL": Country(
        "Europe/Tirane",
        "en",
        "Tirana",
        ("Elira", "Anila", "Blerta"),
        ("Arben", "Ilir", "Dritan"),
        ("Hoxha", "Shehu", "Dervishi", "Krasniqi"),
    ),
    "FR": Country(
        "Europe/Paris",
        "fr",
        "Lille",
        ("Claire", "Camille", "Élodie"),
        ("Julien", "Thomas", "Nicolas"),
        ("Dubois", "Moreau", "Lefèvre", "Girard"),
    ),
    "ES": Country(
        "Europe/Madrid",
        "es",
        "Valencia",
        ("Laura", "Marta", "Elena"),
        ("Pablo", "Álvaro", "Sergio"),
        ("Fernández", "Navarro", "Ruiz", "Jiménez"),
    ),
    "DE": Country(
        "Europe/Berlin",
        "en",
        "Hamburg",
        ("Anna", "Katharina", "Lena"),
        ("Jonas", "Felix", "Markus"),
        ("Müller", "Schneider", "Becker", "Wagner"),
    ),
    "GB": Country(
        "Europe/London",
        "en",
        "Leeds",
        ("Rebecca", "Charlotte", "Amira"),
        ("James", "Samuel", "Matthew"),
        ("Clarke", "Hughes", "Patel", "Evans"),
    ),
    "TR": Country(
        "Europe/Istanbul",
        "en",
        "Izmir",
        ("Elif", "Zeynep", "Ayşe"),
        ("Mehmet", "Emre", "Burak"),
        ("Kaya", "Demir", "Arslan", "Koç"),
    ),
    "UZ": Country(
        "Asia/Tashkent",
        "en",
        "Tashkent",
        ("Dilnoza", "Malika", "Gulnora"),
        ("Rustam", "Jasur", "Bekzod"),
        ("Karimov/Karimova", "Yusupov/Yusupova", "Rashidov/Rashidova", "Aliyev/Aliyeva"),
    ),
}

# Who answered "another" or "prefer not to say" (by country and place); the others are women
# and men in turn (``person``).
OTHER_SEX = {
    ("AU", 0): "another",
    ("GB", 1): "not_said",
    ("CL", 1): "not_said",
    ("NP", 0): "another",
    ("DE", 0): "not_said",
    ("HN", 2): "not_said",
    ("MW", 1): "not_said",
}

# Partner types in turn ("": no organisation, someone coming on their own).
PARTNER_TYPES = (
    "civil_society",
    "academic",
    "business",
    "workers_organisation",
    "government_institution",
    "",
    "employers_organisation",
    "civil_society",
    "international_organisation",
    "media",
    "survivor_network",
    "academic",
)

# The organisation of a partner type, in the person's language ("(demo)" follows).
ORGANISATIONS = {
    "en": {
        "civil_society": "{city} Children's Rights Forum",
        "academic": "{city} Institute of Labour Studies",
        "business": "{city} Agro Exporters",
        "workers_organisation": "{city} General Workers' Union",
        "government_institution": "{city} Labour Inspectorate",
        "employers_organisation": "{city} Chamber of Commerce",
        "international_organisation": "Regional Migration Office, {city}",
        "media": "{city} Labour Reporters",
        "survivor_network": "{city} Survivors' Network",
    },
    "fr": {
        "civil_society": "Forum des droits de l'enfant de {city}",
        "academic": "Institut d'études du travail de {city}",
        "business": "Exportations agricoles de {city}",
        "workers_organisation": "Union des travailleurs de {city}",
        "government_institution": "Inspection du travail de {city}",
        "employers_organisation": "Chambre de commerce de {city}",
        "international_organisation": "Bureau régional des migrations, {city}",
        "media": "Journalistes du travail de {city}",
        "survivor_network": "Réseau des survivants de {city}",
    },
    "es": {
        "civil_society": "Foro por los Derechos de la Niñez de {city}",
        "academic": "Instituto de Estudios Laborales de {city}",
        "business": "Agroexportadora de {city}",
        "workers_organisation": "Sindicato General de Trabajadores de {city}",
        "government_institution": "Inspección del Trabajo de {city}",
        "employers_organisation": "Cámara de Comercio de {city}",
        "international_organisation": "Oficina Regional de Migraciones, {city}",
        "media": "Periodistas Laborales de {city}",
        "survivor_network": "Red de Sobrevivientes de {city}",
    },
}

# Each pilot webinar's audience, in the order of ``workspaces.PILOT_WORKSPACES``: one country
# per person; "*" brings back someone of that country from an earlier pilot webinar.
AUDIENCES = (
    # Child-labour-free zones in Uganda's coffee districts: 32, mostly from Africa.
    "UG UG UG UG KE KE GH GH NG NG MW MW MG MG CI CI SN MA JO LB GB GB FR FR DE AL UZ CO BR CA "
    "ID LK",
    # Seafood processing workers organise against forced labour: 27, mostly from Asia.
    "VN VN VN VN TH TH TH ID* ID BD BD NP LK* PH PH FJ FJ AU AU AE AE JO* GB* FR* TR MA NG*",
    # Recruitment fees in Central American maquilas: 37, mostly from the Americas.
    "GT GT GT GT GT HN HN HN HN MX MX MX MX PE PE PE CL CL CO* CO CO BR* BR CA* CA ES ES ES "
    "FR* GB TN SN* LB BD* BD VN* JO",
)


@dataclass(frozen=True)
class Public:
    """Someone from outside the Alliance registering for a public webinar without an account,
    with their answers to the registration questions (the audience's people, and the pilot's
    named public in ``workspaces.py``)."""

    email: str
    name: str
    organisation: str
    partner_type: str
    zone: str
    language: str
    sex: str
    country: str


def person(code: str, place: int) -> Public:
    """The person at ``place`` (0, 1, …) among the audience's people of the country ``code``:
    women and men in turn, one country starting with a woman, the next with a man (but
    ``OTHER_SEX``), their names taken in turn from the country's lists, so that no two of a
    country share a name up to the twelfth."""
    country = COUNTRIES[code]
    index = list(COUNTRIES).index(code)
    female = (index + place) % 2 == 0
    given = (country.women if female else country.men)[(place // 2) % 3]
    family = country.surnames[place % 4].split("/")
    surname = family[-1] if female else family[0]
    name = f"{surname} {given}" if country.family_first else f"{given} {surname}"
    partner_type = PARTNER_TYPES[(index + place * 5) % len(PARTNER_TYPES)]
    organisation = (
        ORGANISATIONS[country.language][partner_type].format(city=country.city) + " (demo)"
        if partner_type
        else ""
    )
    local = ".".join(slugify(part) for part in name.split())
    return Public(
        email=f"{local}@{DOMAINS[(index + place) % len(DOMAINS)]}",
        name=name,
        country=code,
        zone=country.zone,
        language=country.language,
        sex=OTHER_SEX.get((code, place), "female" if female else "male"),
        partner_type=partner_type,
        organisation=organisation,
    )


def audiences() -> list[list[Public]]:
    """Each pilot webinar's audience (``AUDIENCES``), in order."""
    taken: dict[str, int] = {}  # country → people made so far
    returning: dict[str, list[int]] = {}  # country → places of people who may come back
    found = []
    for countries in AUDIENCES:
        people = []
        came: dict[str, list[int]] = {}
        for entry in countries.split():
            code = entry.rstrip("*")
            if entry.endswith("*"):
                place = returning[code].pop(0)
            else:
                place = taken.get(code, 0)
                taken[code] = place + 1
            came.setdefault(code, []).append(place)
            people.append(person(code, place))
        for code, places in came.items():
            returning.setdefault(code, []).extend(places)
        found.append(people)
    return found
