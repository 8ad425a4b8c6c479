"""Short synthetic texts and small choices for the demo's records.

The texts are data, not interface: written in Danish as a Danish caseworker
would, generic on purpose, and never about a real person.
"""

import random

from brik.core import choices as c
from brik.core.choices import ExploitationForm as F

_INDICATORS_FOR = {
    F.SEXUAL: [
        c.Indicator.DEBT_BONDAGE,
        c.Indicator.RESTRICTION_OF_MOVEMENT,
        c.Indicator.INTIMIDATION_THREATS,
        c.Indicator.PHYSICAL_SEXUAL_VIOLENCE,
        c.Indicator.DECEPTION,
        c.Indicator.RETENTION_OF_DOCUMENTS,
    ],
    F.FORCED_LABOUR: [
        c.Indicator.WITHHOLDING_OF_WAGES,
        c.Indicator.EXCESSIVE_OVERTIME,
        c.Indicator.ABUSIVE_CONDITIONS,
        c.Indicator.RETENTION_OF_DOCUMENTS,
        c.Indicator.DECEPTION,
        c.Indicator.DEBT_BONDAGE,
        c.Indicator.ISOLATION,
    ],
    F.CRIMINAL: [
        c.Indicator.INTIMIDATION_THREATS,
        c.Indicator.ABUSE_OF_VULNERABILITY,
        c.Indicator.DEBT_BONDAGE,
        c.Indicator.RESTRICTION_OF_MOVEMENT,
    ],
}

_MEANS_FOR = {
    F.SEXUAL: [
        c.MeansOfControl.DEBT_BONDAGE,
        c.MeansOfControl.TAKES_EARNINGS,
        c.MeansOfControl.FAMILY_THREATS,
        c.MeansOfControl.PSYCHOLOGICAL_ABUSE,
        c.MeansOfControl.SEXUAL_ABUSE,
        c.MeansOfControl.FALSE_PROMISES,
    ],
    F.FORCED_LABOUR: [
        c.MeansOfControl.WITHHOLDS_DOCUMENTS,
        c.MeansOfControl.EXCESSIVE_HOURS,
        c.MeansOfControl.TAKES_EARNINGS,
        c.MeansOfControl.FALSE_PROMISES,
        c.MeansOfControl.DEBT_BONDAGE,
        c.MeansOfControl.WITHHOLDS_NECESSITIES,
    ],
    F.CRIMINAL: [
        c.MeansOfControl.PHYSICAL_THREATS,
        c.MeansOfControl.LAW_ENFORCEMENT_THREATS,
        c.MeansOfControl.PSYCHOACTIVE_SUBSTANCES,
        c.MeansOfControl.DEBT_BONDAGE,
    ],
}

_TRANSIT = ("DE", "SE", "IT", "ES", "NL", "FR", "PL")
_ALL_INDICATORS = list(c.Indicator.values)
_ALL_DIMENSIONS = list(c.IndicatorDimension.values)
_INDICATORS_FOR = {k: [str(v.value) for v in vs] for k, vs in _INDICATORS_FOR.items()}
_MEANS_FOR = {k: [str(v.value) for v in vs] for k, vs in _MEANS_FOR.items()}


def _sample(rng: random.Random, options: list[str], low: int, high: int) -> list[str]:
    return rng.sample(options, min(len(options), rng.randint(low, high)))


def pick_indicators(rng: random.Random, forms, *, found: bool = True) -> list[str]:
    options = []
    for form in forms:
        options += [i for i in _INDICATORS_FOR.get(form, []) if i not in options]
    if not options:
        options = _ALL_INDICATORS
    return _sample(rng, options, 1, 4 if found else 2)


def pick_dimensions(rng: random.Random, *, found: bool) -> list[str]:
    return _sample(rng, _ALL_DIMENSIONS, 1 if found else 0, 4 if found else 1)


def pick_means(rng: random.Random, forms) -> list[str]:
    options = []
    for form in forms:
        options += [m for m in _MEANS_FOR.get(form, []) if m not in options]
    if not options:
        options = [
            c.MeansOfControl.FALSE_PROMISES.value,
            c.MeansOfControl.PSYCHOLOGICAL_ABUSE.value,
        ]
    return _sample(rng, options, 1, 4)


def sexual_type(rng: random.Random) -> str:
    return rng.choices(
        [
            c.SexualExploitationType.PROSTITUTION,
            c.SexualExploitationType.PRIVATE_SERVICES,
            c.SexualExploitationType.PORNOGRAPHY,
            c.SexualExploitationType.REMOTE_INTERACTIVE,
        ],
        [85, 7, 4, 4],
    )[0].value


def countries_of_exploitation(rng: random.Random, home: str) -> list[str]:
    roll = rng.random()
    if roll < 0.8:
        return ["DK"]
    if roll < 0.93:
        return ["DK", rng.choice(_TRANSIT)]
    return ["DK", home] if home != "DK" else ["DK"]


def interview_place(rng: random.Random, slot) -> str:
    roll = rng.random()
    if roll < 0.45:
        return "Center mod Menneskehandel, København"
    if roll < 0.7:
        return f"{slot.police_district}, {slot.municipality}"
    if roll < 0.8 and not slot.legal_residence:
        return "Udlændingestyrelsen, asylcenter"
    if roll < 0.9:
        return "Krisecenter (adressen er beskyttet)"
    return "Videosamtale"


def observation(rng: random.Random, forms, org_type: str) -> str:
    if rng.random() < 0.3:
        return ""
    by_form = {
        F.SEXUAL: "Personen blev truffet i prostitution og virkede kontrolleret af en tredjeperson.",
        F.FORCED_LABOUR: "Arbejder på stedet uden kontrakt; lange arbejdsdage og løn tilbageholdt.",
        F.CRIMINAL: "Anholdt for tyveri/narkotika; oplyser at have handlet under tvang.",
        F.SLAVERY_LIKE: "Boede og arbejdede i en privat husstand uden fri adgang til egne papirer.",
    }
    for form in forms:
        if form in by_form:
            return by_form[form]
    if org_type == c.OrganisationType.IMMIGRATION:
        return "Oplysninger i asylsagen giver mistanke om menneskehandel."
    return "Henvendelse med flere indikatorer på menneskehandel; behov for samtale."


def identity_documents(rng: random.Random) -> str:
    return rng.choices(
        ["Pas (syntetisk demodata)", "ID-kort (syntetisk demodata)", "Ingen dokumenter", ""],
        [45, 20, 25, 10],
    )[0]


def interview_note(rng: random.Random, found: bool) -> str:
    if rng.random() < 0.35:
        return ""
    if found:
        return rng.choice(
            [
                "Samtale med tolk. Personen beskriver rekruttering med falske løfter om arbejde.",
                "Opfølgende samtale. Forklaringen er sammenhængende; flere indikatorer bekræftet.",
                "Personen fortæller om gæld til rekrutteringen og trusler mod familien.",
            ]
        )
    return rng.choice(
        [
            "Samtale med tolk. Forklaringen giver ikke grundlag for at vurdere menneskehandel.",
            "Personen ønsker ikke at uddybe; få indikatorer.",
        ]
    )


def assessment_note(rng: random.Random, identified: bool, authority: str) -> str:
    if rng.random() < 0.4:
        return ""
    who = "Centeret" if authority == c.DecidingAuthority.CENTRE else "Udlændingestyrelsen"
    if identified:
        return f"{who} vurderer på baggrund af samtalerne, at personen er udsat for menneskehandel."
    return f"{who} finder ikke tilstrækkelige indikatorer for menneskehandel."


def extension_note(rng: random.Random, reason: str) -> str:
    if reason == c.ExtensionReason.PREPARED_RETURN:
        return "Forlænget mens den forberedte hjemsendelse planlægges."
    return rng.choice(
        ["Forlænget af særlige grunde (helbred).", "Forlænget af særlige grunde.", ""]
    )


def support_note(rng: random.Random, kind: str) -> str:
    if rng.random() < 0.6:
        return ""
    notes = {
        c.SupportType.ACCOMMODATION: "Anonymt botilbud med kost.",
        c.SupportType.MEDICAL: "Lægeundersøgelse og behandling.",
        c.SupportType.PSYCHOLOGICAL: "Forløb hos psykolog.",
        c.SupportType.LEGAL_AID: "Juridisk rådgivning om ophold og erstatning.",
        c.SupportType.EDUCATION: "Dansk- og engelskundervisning.",
        c.SupportType.CONTACT_PERSON: "Fast kontaktperson i centeret.",
    }
    return notes.get(kind, "")


def plan_flags(rng: random.Random, age: int) -> dict[str, bool]:
    return {
        "plan_allowance": rng.random() < 0.9,
        "plan_housing": rng.random() < 0.6,
        "plan_income_activity": rng.random() < 0.55,
        "plan_medical": rng.random() < 0.4,
        "plan_schooling_self": rng.random() < 0.25,
        "plan_schooling_children": age > 22 and rng.random() < 0.25,
    }


def plan_note(rng: random.Random, flags: dict[str, bool]) -> str:
    if rng.random() < 0.3:
        return ""
    if flags["plan_income_activity"]:
        return "Reintegrationsplan: opstart af lille virksomhed med støtte fra partneren."
    return "Reintegrationsplan: månedligt tilskud og bolig i de første måneder."


def follow_up_note(rng: random.Random, status: str) -> str:
    if rng.random() < 0.5:
        return ""
    return {
        c.FollowUpStatus.ON_TRACK: "Partneren melder, at planen følges.",
        c.FollowUpStatus.DIFFICULTIES: "Udfordringer med bolig; partneren hjælper.",
        c.FollowUpStatus.NO_CONTACT: "Partneren har ikke kunnet komme i kontakt med personen.",
        c.FollowUpStatus.COMPLETED: "Reintegrationsstøtten er afsluttet.",
    }[status]


def closing_note(rng: random.Random, reason: str) -> str:
    if rng.random() < 0.7:
        return ""
    return {
        c.ClosingReason.DISAPPEARED: "Personen forlod botilbuddet uden at give besked.",
        c.ClosingReason.DECLINED_SUPPORT: "Personen ønsker ikke yderligere støtte.",
        c.ClosingReason.STAYING: "Personen har fået ophold; sagen afsluttes.",
        c.ClosingReason.RETURN_COMPLETED: "Opfølgningsperioden er slut.",
        c.ClosingReason.NOT_IDENTIFIED: "Ikke vurderet udsat for menneskehandel.",
    }.get(reason, "")
