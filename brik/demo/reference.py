"""The demo's cast: organisations, users and countries. All of it fixed, none of it random.

Organisation names are the real Danish authorities, police districts and NGOs
that take part in the national referral mechanism; the reintegration partners
abroad are fictional. Users are fictional demo logins, one per role.
"""

from dataclasses import dataclass, field

from brik.core.choices import ExploitationForm, OrganisationType, Region, Role

DEMO_URL = "http://127.0.0.1:8000"
# One password for every demo login: long enough for the validators, easy to type.
DEMO_PASSWORD = "brik-til-puslespillet"  # noqa: S105 - a published demo password


CENTRE = "Center mod Menneskehandel"
IMMIGRATION = "Udlændingestyrelsen"
TAX = "Skattestyrelsen"
LABOUR = "Arbejdstilsynet"
SIRI = "Styrelsen for International Rekruttering og Integration"
PROSECUTION = "Anklagemyndigheden"


@dataclass(frozen=True)
class Org:
    name: str
    type: str
    short_name: str = ""
    region: str = ""
    country: str = "DK"
    municipalities: tuple[str, ...] = ()  # police districts: where referrals come from
    weight: float = 1.0  # police districts: share of referrals


AUTHORITIES = (
    Org(CENTRE, OrganisationType.CENTRE, "CMM", Region.HOVEDSTADEN),
    Org(IMMIGRATION, OrganisationType.IMMIGRATION, "US", Region.HOVEDSTADEN),
    Org(TAX, OrganisationType.TAX, "SKTST", Region.HOVEDSTADEN),
    Org(LABOUR, OrganisationType.LABOUR, "AT", Region.HOVEDSTADEN),
    Org(SIRI, OrganisationType.IMMIGRATION, "SIRI", Region.HOVEDSTADEN),
    Org(PROSECUTION, OrganisationType.PROSECUTION, "AM", Region.HOVEDSTADEN),
)

POLICE_DISTRICTS = (
    Org("Nordjyllands Politi", OrganisationType.POLICE, "NJYL", Region.NORDJYLLAND,
        municipalities=("Aalborg", "Hjørring", "Frederikshavn"), weight=6),
    Org("Østjyllands Politi", OrganisationType.POLICE, "OJYL", Region.MIDTJYLLAND,
        municipalities=("Aarhus", "Randers", "Syddjurs"), weight=11),
    Org("Midt- og Vestjyllands Politi", OrganisationType.POLICE, "MVJYL", Region.MIDTJYLLAND,
        municipalities=("Herning", "Holstebro", "Viborg", "Silkeborg"), weight=7),
    Org("Sydøstjyllands Politi", OrganisationType.POLICE, "SOJYL", Region.SYDDANMARK,
        municipalities=("Vejle", "Horsens", "Kolding", "Fredericia"), weight=7),
    Org("Syd- og Sønderjyllands Politi", OrganisationType.POLICE, "SSJYL", Region.SYDDANMARK,
        municipalities=("Esbjerg", "Sønderborg", "Aabenraa"), weight=6),
    Org("Fyns Politi", OrganisationType.POLICE, "FYN", Region.SYDDANMARK,
        municipalities=("Odense", "Svendborg", "Middelfart"), weight=7),
    Org("Sydsjællands og Lolland-Falsters Politi", OrganisationType.POLICE, "SSLF", Region.SJAELLAND,
        municipalities=("Næstved", "Guldborgsund", "Vordingborg"), weight=4),
    Org("Midt- og Vestsjællands Politi", OrganisationType.POLICE, "MVSJ", Region.SJAELLAND,
        municipalities=("Holbæk", "Slagelse", "Roskilde"), weight=5),
    Org("Nordsjællands Politi", OrganisationType.POLICE, "NSJ", Region.HOVEDSTADEN,
        municipalities=("Hillerød", "Helsingør", "Gentofte"), weight=6),
    Org("Københavns Vestegns Politi", OrganisationType.POLICE, "KBHV", Region.HOVEDSTADEN,
        municipalities=("Glostrup", "Høje-Taastrup", "Ishøj"), weight=8),
    Org("Københavns Politi", OrganisationType.POLICE, "KBH", Region.HOVEDSTADEN,
        municipalities=("København", "Frederiksberg", "Tårnby"), weight=30),
    Org("Bornholms Politi", OrganisationType.POLICE, "BORN", Region.HOVEDSTADEN,
        municipalities=("Bornholm",), weight=1),
)  # fmt: skip

NGOS = (
    Org("Reden København", OrganisationType.NGO, "Reden", Region.HOVEDSTADEN),
    Org("AmiAmi", OrganisationType.NGO, "AmiAmi", Region.HOVEDSTADEN),
    Org("HopeNow", OrganisationType.NGO, "HopeNow", Region.HOVEDSTADEN),
    Org("Kirkens Korshær", OrganisationType.NGO, "KK", Region.HOVEDSTADEN),
    Org("Dansk Røde Kors Asyl", OrganisationType.NGO, "DRK Asyl", Region.SJAELLAND),
)

MUNICIPALITIES = (
    Org("Københavns Kommune", OrganisationType.MUNICIPALITY, "KK", Region.HOVEDSTADEN),
    Org("Aarhus Kommune", OrganisationType.MUNICIPALITY, "AAK", Region.MIDTJYLLAND),
    Org("Odense Kommune", OrganisationType.MUNICIPALITY, "OK", Region.SYDDANMARK),
    Org("Aalborg Kommune", OrganisationType.MUNICIPALITY, "AAL", Region.NORDJYLLAND),
    Org("Esbjerg Kommune", OrganisationType.MUNICIPALITY, "ESB", Region.SYDDANMARK),
)

HEALTH = (
    Org("Region Hovedstadens Akutmodtagelse", OrganisationType.HEALTH, "Akut", Region.HOVEDSTADEN),
)

# Fictional partners: the demo does not speak for any real organisation.
PARTNERS_ABROAD = (
    Org(
        "Reintegration partner Benin City",
        OrganisationType.REINTEGRATION,
        "RP Benin City",
        country="NG",
    ),
    Org("Reintegration partner Lagos", OrganisationType.REINTEGRATION, "RP Lagos", country="NG"),
    Org(
        "Reintegration partner Udon Thani",
        OrganisationType.REINTEGRATION,
        "RP Udon Thani",
        country="TH",
    ),
    Org(
        "Reintegration partner Bucharest",
        OrganisationType.REINTEGRATION,
        "RP Bucharest",
        country="RO",
    ),
    Org("Reintegration partner Hanoi", OrganisationType.REINTEGRATION, "RP Hanoi", country="VN"),
    Org(
        "Reintegration partner Casablanca",
        OrganisationType.REINTEGRATION,
        "RP Casablanca",
        country="MA",
    ),
    Org("Reintegration partner Sofia", OrganisationType.REINTEGRATION, "RP Sofia", country="BG"),
    Org(
        "Reintegration partner Kampala", OrganisationType.REINTEGRATION, "RP Kampala", country="UG"
    ),
    Org("Reintegration partner Accra", OrganisationType.REINTEGRATION, "RP Accra", country="GH"),
    Org("Reintegration partner Manila", OrganisationType.REINTEGRATION, "RP Manila", country="PH"),
    Org("Reintegration partner Kyiv", OrganisationType.REINTEGRATION, "RP Kyiv", country="UA"),
)

ORGANISATIONS = AUTHORITIES + POLICE_DISTRICTS + NGOS + MUNICIPALITIES + HEALTH + PARTNERS_ABROAD


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organisation: str
    first_name: str
    last_name: str
    is_staff: bool = False
    is_superuser: bool = False


DEMO_USERS = (
    DemoUser("caseworker", Role.CASEWORKER, CENTRE, "Demo", "Sagsbehandler"),
    DemoUser("lead", Role.LEAD, CENTRE, "Demo", "Leder"),
    DemoUser("analyst", Role.ANALYST, CENTRE, "Demo", "Analytiker"),
    DemoUser("police", Role.REFERRER, "Østjyllands Politi", "Demo", "Politi"),
    DemoUser("outreach", Role.OUTREACH, "Reden København", "Demo", "Opsøgende"),
    DemoUser("admin", Role.ADMINISTRATOR, CENTRE, "Demo", "Administrator", True, True),
    DemoUser("caseworker2", Role.CASEWORKER, CENTRE, "Demo", "Sagsbehandler 2"),
    DemoUser("caseworker3", Role.CASEWORKER, CENTRE, "Demo", "Sagsbehandler 3"),
    DemoUser("caseworker4", Role.CASEWORKER, CENTRE, "Demo", "Sagsbehandler 4"),
    DemoUser("auditor", Role.AUDITOR, CENTRE, "Demo", "Revisor"),
)
CASEWORKERS = tuple(u.username for u in DEMO_USERS if u.role == Role.CASEWORKER)


@dataclass(frozen=True)
class Country:
    """How persons of one citizenship look in the demo."""

    code: str
    locales: tuple[str, ...]  # Faker locales giving names in Latin script
    languages: tuple[str, ...]  # ISO 639-3, the first is the interpreter language
    prevalence: float  # how often the country appears among presumed victims
    affinity: dict[str, float] = field(default_factory=dict)  # form -> likelihood
    transliterate: bool = False  # names come in Cyrillic
    interpreter: bool = True  # False: the person speaks Danish or English


SEX, FL, CRIM = ExploitationForm.SEXUAL, ExploitationForm.FORCED_LABOUR, ExploitationForm.CRIMINAL

COUNTRIES = {
    c.code: c
    for c in (
        Country("NG", ("yo_NG", "ig_NG", "en_NG"), ("bin", "eng"), 10, {SEX: 4}),
        Country("TH", ("en_TH",), ("tha",), 7, {SEX: 4, FL: 1.5}),
        Country("MA", ("fr_DZ",), ("ary", "fra"), 4, {CRIM: 6, FL: 1}),
        Country("RO", ("ro_RO",), ("ron",), 9, {FL: 3, CRIM: 3, SEX: 1.5}),
        Country("VN", ("vi_VN",), ("vie",), 5, {CRIM: 4, FL: 3}),
        Country("UG", ("en_KE",), ("lug", "eng"), 3, {SEX: 3}),
        Country("BG", ("bg_BG",), ("bul",), 4, {FL: 3, SEX: 2}, transliterate=True),
        Country("HU", ("hu_HU",), ("hun",), 3, {SEX: 3, FL: 1}),
        Country("UA", ("uk_UA",), ("ukr", "rus"), 3, {FL: 3, SEX: 1}, transliterate=True),
        Country("PL", ("pl_PL",), ("pol",), 3, {FL: 3, CRIM: 1}),
        Country("PH", ("en_PH",), ("fil", "eng"), 2, {FL: 4}),
        Country("CN", ("zh_CN",), ("cmn",), 2, {SEX: 3, FL: 1}),
        Country("GH", ("tw_GH",), ("twi", "eng"), 1.5, {SEX: 2, FL: 1}),
        Country("KE", ("en_KE",), ("swh", "eng"), 1.5, {SEX: 2, FL: 1}),
        Country("LT", ("lt_LT",), ("lit",), 2, {FL: 2, CRIM: 2}),
        Country("CZ", ("cs_CZ",), ("ces",), 1, {SEX: 1, FL: 1}),
        Country("SK", ("sk_SK",), ("slk",), 1, {FL: 1, SEX: 1}),
        Country("AF", ("en_PK",), ("prs", "pbu"), 1.5, {CRIM: 2, FL: 1}),
        Country("SY", ("fr_DZ",), ("apc",), 1, {FL: 1, CRIM: 1}),
        Country("DK", ("da_DK",), ("dan",), 1.5, {CRIM: 3, SEX: 2}, interpreter=False),
        Country("BR", ("pt_BR",), ("por",), 1.5, {SEX: 4}),
        Country("CO", ("es_CO",), ("spa",), 1, {SEX: 3}),
        Country("ES", ("es_ES",), ("spa",), 1, {FL: 1, SEX: 1}),
        Country("PT", ("pt_PT",), ("por",), 1, {FL: 2}),
        Country("EE", ("et_EE",), ("ekk",), 0.5, {FL: 1}),
        Country("LV", ("lv_LV",), ("lvs",), 0.5, {FL: 1}),
        Country("IN", ("en_IN",), ("hin", "eng"), 1.5, {FL: 3}),
        Country("PK", ("en_PK",), ("urd",), 1, {FL: 3}),
        Country("NP", ("en_IN",), ("npi",), 0.5, {FL: 2}),
        Country("UZ", ("uz_UZ",), ("uzn",), 1, {FL: 3}),
        Country("MD", ("ro_RO",), ("ron",), 1, {SEX: 2, FL: 1}),
        Country("CM", ("en_NG",), ("fra", "eng"), 1, {SEX: 2}),
        Country("SL", ("en_NG",), ("eng",), 0.5, {SEX: 1, FL: 1}, interpreter=False),
        Country("TR", ("tr_TR",), ("tur",), 1, {FL: 2}),
        Country("ID", ("id_ID",), ("ind",), 0.5, {FL: 2}),
        Country("EG", ("fr_DZ",), ("arz",), 0.5, {FL: 2}),
        Country("DE", ("de_DE",), ("deu",), 0.5, {SEX: 1}, interpreter=False),
        Country("IT", ("it_IT",), ("ita",), 0.5, {FL: 1}),
    )
}

# Reintegration partners by the destination country of a prepared return.
PARTNERS_BY_COUNTRY: dict[str, tuple[str, ...]] = {}
for _org in PARTNERS_ABROAD:
    PARTNERS_BY_COUNTRY.setdefault(_org.country, ())
    PARTNERS_BY_COUNTRY[_org.country] += (_org.name,)

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sht", "ъ": "a", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "є": "ye", "і": "i", "ї": "yi", "ґ": "g",
}  # fmt: skip


def latin(text: str) -> str:
    """A simple transliteration of Bulgarian, Ukrainian and Russian names."""
    out = []
    for ch in text:
        low = ch.lower()
        if low in _CYRILLIC:
            value = _CYRILLIC[low]
            out.append(value.capitalize() if ch != low else value)
        else:
            out.append(ch)
    return "".join(out)
