"""Who referred each case, through which channel, where, and who the contact person is."""

import bisect
import random
from datetime import date, timedelta

from brik.core.choices import ExploitationForm, ReferralChannel, Sector
from brik.demo import reference as ref
from brik.demo.cooperation import PlannedAction
from brik.demo.planning import Slot

_SECTORS_FOR = {
    ExploitationForm.FORCED_LABOUR: {
        Sector.CONSTRUCTION,
        Sector.AGRICULTURE,
        Sector.CLEANING,
        Sector.RESTAURANTS,
        Sector.TRANSPORT,
    },
    ExploitationForm.SEXUAL: {Sector.MASSAGE, Sector.PROSTITUTION},
    ExploitationForm.CRIMINAL: {Sector.OTHER, Sector.AGRICULTURE},
}

POLICE = "police"
NGO = "ngo"
HOTLINE = "hotline"
SELF = "self"
IMMIGRATION = "immigration"
ASYLUM = "asylum"
MUNICIPALITY = "municipality"
TAX = "tax"
LABOUR = "labour"
HEALTH = "health"
SIRI = "siri"

_BASE = {
    POLICE: 40,
    NGO: 12,
    HOTLINE: 7,
    SELF: 2,
    IMMIGRATION: 9,
    ASYLUM: 5,
    MUNICIPALITY: 6,
    TAX: 3,
    LABOUR: 4,
    HEALTH: 3,
    SIRI: 1,
}
_BOOST = {
    ExploitationForm.FORCED_LABOUR: {LABOUR: 3, TAX: 3, SIRI: 3, NGO: 0.5},
    ExploitationForm.SEXUAL: {NGO: 2, HEALTH: 1.5},
    ExploitationForm.CRIMINAL: {POLICE: 1.5},
}
_FIXED_ORG = {
    IMMIGRATION: ref.IMMIGRATION,
    ASYLUM: "Dansk Røde Kors Asyl",
    TAX: ref.TAX,
    LABOUR: ref.LABOUR,
    SIRI: ref.SIRI,
    HEALTH: ref.HEALTH[0].name,
    HOTLINE: ref.CENTRE,
    SELF: ref.CENTRE,
}
_OUTREACH_NGOS = ("Reden København", "AmiAmi", "HopeNow", "Kirkens Korshær")
OUTREACH_FROM = date(2022, 1, 1)  # NGOs took over outreach with the 6th action plan


def _kind_weights(slot: Slot) -> dict[str, float]:
    weights = dict(_BASE)
    for form in slot.forms:
        for kind, factor in _BOOST.get(form, {}).items():
            weights[kind] *= factor
    if slot.minor:
        weights[MUNICIPALITY] *= 4
    return weights


def _find_action(
    rng: random.Random, slot: Slot, actions: list[PlannedAction], days: list[date]
) -> PlannedAction | None:
    """A held action up to three weeks before the referral, of a fitting sector if possible."""
    hi = bisect.bisect_right(days, slot.referred_on)
    lo = bisect.bisect_left(days, slot.referred_on - timedelta(days=21))
    near = [a for a in actions[lo:hi] if a.held]
    if not near:
        return None
    sectors = set().union(*(_SECTORS_FOR.get(f, set()) for f in slot.forms))
    fitting = [a for a in near if a.sector in sectors]
    return rng.choice(fitting or near)


def plan_referrals(seed: int, slots: list[Slot], actions: list[PlannedAction]) -> None:
    """Fill in each slot's referral: organisation, channel, police district, joint action."""
    rng = random.Random(f"{seed}:referrals")
    districts = ref.POLICE_DISTRICTS
    district_weights = [d.weight for d in districts]
    by_region: dict[str, list] = {}
    for district in districts:
        by_region.setdefault(district.region, []).append(district)
    actions = sorted(actions, key=lambda a: (a.planned_for, a.index))
    days = [a.planned_for for a in actions]
    municipalities = [o.name for o in ref.MUNICIPALITIES]
    joint_chance = {
        ExploitationForm.FORCED_LABOUR: 0.35,
        ExploitationForm.SEXUAL: 0.06,
        ExploitationForm.CRIMINAL: 0.12,
    }

    for slot in slots:
        district = rng.choices(districts, district_weights)[0]
        weights = _kind_weights(slot)
        kind = rng.choices(list(weights), list(weights.values()))[0]
        slot.channel = ReferralChannel.PARTNER
        chance = max((joint_chance.get(f, 0.03) for f in slot.forms), default=0.05)
        action = None
        if kind in (POLICE, TAX, LABOUR) and rng.random() < chance:
            action = _find_action(rng, slot, actions, days)
        if action is not None:
            slot.joint_action = action.index
            slot.channel = ReferralChannel.JOINT_ACTION
            slot.referring_organisation = action.lead
            options = by_region[action.region]
            district = rng.choices(options, [d.weight for d in options])[0]
            action.linked += 1
        elif kind == POLICE:
            slot.referring_organisation = district.name
        elif kind == NGO:
            slot.referring_organisation = rng.choice(_OUTREACH_NGOS)
            if slot.referred_on >= OUTREACH_FROM and rng.random() < 0.8:
                slot.channel = ReferralChannel.OUTREACH
        elif kind == MUNICIPALITY:
            slot.referring_organisation = rng.choice(municipalities)
        else:
            slot.referring_organisation = _FIXED_ORG[kind]
            if kind == HOTLINE:
                slot.channel = ReferralChannel.HOTLINE
            elif kind == SELF:
                slot.channel = ReferralChannel.SELF
        slot.police_district = district.name
        slot.municipality = rng.choice(district.municipalities)


def assign_caseworkers(seed: int, slots: list[Slot]) -> None:
    """Every case has a contact person but some of this week's new referrals; the demo's
    `caseworker` holds most of the live work."""
    rng = random.Random(f"{seed}:caseworkers")
    main, *others = ref.CASEWORKERS
    for slot in slots:
        if slot.unassigned:
            slot.caseworker = ""
        elif slot.is_open_at_end:
            slot.caseworker = main if rng.random() < 0.45 else rng.choice(others)
        else:
            slot.caseworker = rng.choice(ref.CASEWORKERS)
