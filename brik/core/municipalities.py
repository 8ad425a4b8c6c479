"""Denmark's 98 municipalities (kommuner) and their regions, since the reform of 2007.

A referral records the municipality where the person was met as text. Brik
writes a recognised name in its official spelling (`official_name`), and the
statistics count a referral under that municipality's region (`region_of`).
The codes are the municipality numbers of the CPR and Statistics Denmark.
"""

from __future__ import annotations

import unicodedata

from brik.core.choices import Region

H, S, SD, M, N = (
    Region.HOVEDSTADEN,
    Region.SJAELLAND,
    Region.SYDDANMARK,
    Region.MIDTJYLLAND,
    Region.NORDJYLLAND,
)

# (code, official name, region)
MUNICIPALITIES: tuple[tuple[int, str, Region], ...] = (
    (101, "København", H), (147, "Frederiksberg", H), (151, "Ballerup", H),
    (153, "Brøndby", H), (155, "Dragør", H), (157, "Gentofte", H), (159, "Gladsaxe", H),
    (161, "Glostrup", H), (163, "Herlev", H), (165, "Albertslund", H), (167, "Hvidovre", H),
    (169, "Høje-Taastrup", H), (173, "Lyngby-Taarbæk", H), (175, "Rødovre", H),
    (183, "Ishøj", H), (185, "Tårnby", H), (187, "Vallensbæk", H), (190, "Furesø", H),
    (201, "Allerød", H), (210, "Fredensborg", H), (217, "Helsingør", H),
    (219, "Hillerød", H), (223, "Hørsholm", H), (230, "Rudersdal", H), (240, "Egedal", H),
    (250, "Frederikssund", H), (260, "Halsnæs", H), (270, "Gribskov", H),
    (400, "Bornholm", H),
    (253, "Greve", S), (259, "Køge", S), (265, "Roskilde", S), (269, "Solrød", S),
    (306, "Odsherred", S), (316, "Holbæk", S), (320, "Faxe", S), (326, "Kalundborg", S),
    (329, "Ringsted", S), (330, "Slagelse", S), (336, "Stevns", S), (340, "Sorø", S),
    (350, "Lejre", S), (360, "Lolland", S), (370, "Næstved", S), (376, "Guldborgsund", S),
    (390, "Vordingborg", S),
    (410, "Middelfart", SD), (420, "Assens", SD), (430, "Faaborg-Midtfyn", SD),
    (440, "Kerteminde", SD), (450, "Nyborg", SD), (461, "Odense", SD),
    (479, "Svendborg", SD), (480, "Nordfyns", SD), (482, "Langeland", SD), (492, "Ærø", SD),
    (510, "Haderslev", SD), (530, "Billund", SD), (540, "Sønderborg", SD),
    (550, "Tønder", SD), (561, "Esbjerg", SD), (563, "Fanø", SD), (573, "Varde", SD),
    (575, "Vejen", SD), (580, "Aabenraa", SD), (607, "Fredericia", SD),
    (621, "Kolding", SD), (630, "Vejle", SD),
    (615, "Horsens", M), (657, "Herning", M), (661, "Holstebro", M), (665, "Lemvig", M),
    (671, "Struer", M), (706, "Syddjurs", M), (707, "Norddjurs", M), (710, "Favrskov", M),
    (727, "Odder", M), (730, "Randers", M), (740, "Silkeborg", M), (741, "Samsø", M),
    (746, "Skanderborg", M), (751, "Aarhus", M), (756, "Ikast-Brande", M),
    (760, "Ringkøbing-Skjern", M), (766, "Hedensted", M), (779, "Skive", M),
    (791, "Viborg", M),
    (773, "Morsø", N), (787, "Thisted", N), (810, "Brønderslev", N),
    (813, "Frederikshavn", N), (820, "Vesthimmerlands", N), (825, "Læsø", N),
    (840, "Rebild", N), (846, "Mariagerfjord", N), (849, "Jammerbugt", N),
    (851, "Aalborg", N), (860, "Hjørring", N),
)  # fmt: skip

NAMES: tuple[str, ...] = tuple(
    sorted((name for _code, name, _region in MUNICIPALITIES), key=str.casefold)
)

# Other spellings in common use: the old "aa" for "å" and its reverse, the genitive
# of "Københavns Kommune", the English name of the capital.
_OTHER_SPELLINGS = {
    "københavns": "København",
    "bornholms regionskommune": "Bornholm",
    "copenhagen": "København",
    "kobenhavn": "København",
    "århus": "Aarhus",
    "ålborg": "Aalborg",
    "åbenrå": "Aabenraa",
    "tåstrup": "Høje-Taastrup",
    "høje taastrup": "Høje-Taastrup",
    "lyngby": "Lyngby-Taarbæk",
    "lyngby taarbæk": "Lyngby-Taarbæk",
    "ikast brande": "Ikast-Brande",
    "ringkøbing skjern": "Ringkøbing-Skjern",
    "faaborg midtfyn": "Faaborg-Midtfyn",
    "nordfyn": "Nordfyns",
    "vesthimmerland": "Vesthimmerlands",
}


def _key(text: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    for suffix in (" kommune", " municipality"):
        text = text.removesuffix(suffix)
    return text.strip(" .,")


_BY_KEY: dict[str, str] = {_key(name): name for name in NAMES} | _OTHER_SPELLINGS
_REGION: dict[str, Region] = {name: region for _code, name, region in MUNICIPALITIES}


def official_name(text: str) -> str:
    """The municipality's official name if `text` names one ("aarhus kommune" →
    "Aarhus"), otherwise `text` as it is."""
    return _BY_KEY.get(_key(text), text)


def region_of(text: str | None) -> Region | None:
    """The region of the municipality `text` names, or None."""
    if not text:
        return None
    return _REGION.get(_BY_KEY.get(_key(text), ""))
