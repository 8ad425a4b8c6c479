"""Short synthetic texts and small choices for the demo's records.

The texts are data, not interface: written in Danish as a Danish caseworker
would, generic on purpose, and never about a real person.
"""

import random

from brik.core import choices
from brik.core.choices import ExploitationForm

_INDICATORS_FOR = {
    ExploitationForm.SEXUAL: [
        choices.Indicator.DEBT_BONDAGE,
        choices.Indicator.RESTRICTION_OF_MOVEMENT,
        choices.Indicator.INTIMIDATION_THREATS,
        choices.Indicator.PHYSICAL_SEXUAL_VIOLENCE,
        choices.Indicator.DECEPTION,
        choices.Indicator.RETENTION_OF_DOCUMENTS,
    ],
    ExploitationForm.FORCED_LABOUR: [
        choices.Indicator.WITHHOLDING_OF_WAGES,
        choices.Indicator.EXCESSIVE_OVERTIME,
        choices.Indicator.ABUSIVE_CONDITIONS,
        choices.Indicator.RETENTION_OF_DOCUMENTS,
        choices.Indicator.DECEPTION,
        choices.Indicator.DEBT_BONDAGE,
        choices.Indicator.ISOLATION,
    ],
    ExploitationForm.CRIMINAL: [
        choices.Indicator.INTIMIDATION_THREATS,
        choices.Indicator.ABUSE_OF_VULNERABILITY,
        choices.Indicator.DEBT_BONDAGE,
        choices.Indicator.RESTRICTION_OF_MOVEMENT,
    ],
}

_MEANS_FOR = {
    ExploitationForm.SEXUAL: [
        choices.MeansOfControl.DEBT_BONDAGE,
        choices.MeansOfControl.TAKES_EARNINGS,
        choices.MeansOfControl.FAMILY_THREATS,
        choices.MeansOfControl.PSYCHOLOGICAL_ABUSE,
        choices.MeansOfControl.SEXUAL_ABUSE,
        choices.MeansOfControl.FALSE_PROMISES,
    ],
    ExploitationForm.FORCED_LABOUR: [
        choices.MeansOfControl.WITHHOLDS_DOCUMENTS,
        choices.MeansOfControl.EXCESSIVE_HOURS,
        choices.MeansOfControl.TAKES_EARNINGS,
        choices.MeansOfControl.FALSE_PROMISES,
        choices.MeansOfControl.DEBT_BONDAGE,
        choices.MeansOfControl.WITHHOLDS_NECESSITIES,
    ],
    ExploitationForm.CRIMINAL: [
        choices.MeansOfControl.PHYSICAL_THREATS,
        choices.MeansOfControl.LAW_ENFORCEMENT_THREATS,
        choices.MeansOfControl.PSYCHOACTIVE_SUBSTANCES,
        choices.MeansOfControl.DEBT_BONDAGE,
    ],
}

_TRANSIT = ("DE", "SE", "IT", "ES", "NL", "FR", "PL")
_ALL_INDICATORS = list(choices.Indicator.values)
_ALL_DIMENSIONS = list(choices.IndicatorDimension.values)
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
            choices.MeansOfControl.FALSE_PROMISES.value,
            choices.MeansOfControl.PSYCHOLOGICAL_ABUSE.value,
        ]
    return _sample(rng, options, 1, 4)


def sexual_type(rng: random.Random) -> str:
    return rng.choices(
        [
            choices.SexualExploitationType.PROSTITUTION,
            choices.SexualExploitationType.PRIVATE_SERVICES,
            choices.SexualExploitationType.PORNOGRAPHY,
            choices.SexualExploitationType.REMOTE_INTERACTIVE,
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
        ExploitationForm.SEXUAL: "Personen blev truffet i prostitution og virkede kontrolleret af en tredjeperson.",
        ExploitationForm.FORCED_LABOUR: "Arbejder på stedet uden kontrakt; lange arbejdsdage og løn tilbageholdt.",
        ExploitationForm.CRIMINAL: "Anholdt for tyveri/narkotika; oplyser at have handlet under tvang.",
        ExploitationForm.SLAVERY_LIKE: "Boede og arbejdede i en privat husstand uden fri adgang til egne papirer.",
    }
    for form in forms:
        if form in by_form:
            return by_form[form]
    if org_type == choices.OrganisationType.IMMIGRATION:
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
    who = "Centeret" if authority == choices.DecidingAuthority.CENTRE else "Udlændingestyrelsen"
    if identified:
        return f"{who} vurderer på baggrund af samtalerne, at personen er udsat for menneskehandel."
    return f"{who} finder ikke tilstrækkelige indikatorer for menneskehandel."


def extension_note(rng: random.Random, reason: str) -> str:
    if reason == choices.ExtensionReason.PREPARED_RETURN:
        return "Forlænget mens den forberedte hjemsendelse planlægges."
    return rng.choice(
        ["Forlænget af særlige grunde (helbred).", "Forlænget af særlige grunde.", ""]
    )


def support_note(rng: random.Random, kind: str) -> str:
    if rng.random() < 0.6:
        return ""
    notes = {
        choices.SupportType.ACCOMMODATION: "Anonymt botilbud med kost.",
        choices.SupportType.MEDICAL: "Lægeundersøgelse og behandling.",
        choices.SupportType.PSYCHOLOGICAL: "Forløb hos psykolog.",
        choices.SupportType.LEGAL_AID: "Juridisk rådgivning om ophold og erstatning.",
        choices.SupportType.EDUCATION: "Dansk- og engelskundervisning.",
        choices.SupportType.CONTACT_PERSON: "Fast kontaktperson i centeret.",
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
        choices.FollowUpStatus.ON_TRACK: "Partneren melder, at planen følges.",
        choices.FollowUpStatus.DIFFICULTIES: "Udfordringer med bolig; partneren hjælper.",
        choices.FollowUpStatus.NO_CONTACT: "Partneren har ikke kunnet komme i kontakt med personen.",
        choices.FollowUpStatus.COMPLETED: "Reintegrationsstøtten er afsluttet.",
    }[status]


def closing_note(rng: random.Random, reason: str) -> str:
    if rng.random() < 0.7:
        return ""
    return {
        choices.ClosingReason.DISAPPEARED: "Personen forlod botilbuddet uden at give besked.",
        choices.ClosingReason.DECLINED_SUPPORT: "Personen ønsker ikke yderligere støtte.",
        choices.ClosingReason.STAYING: "Personen har fået ophold; sagen afsluttes.",
        choices.ClosingReason.RETURN_COMPLETED: "Opfølgningsperioden er slut.",
        choices.ClosingReason.NOT_IDENTIFIED: "Ikke vurderet udsat for menneskehandel.",
    }.get(reason, "")
