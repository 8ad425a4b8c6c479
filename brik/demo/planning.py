"""Planning the demo's cases in plain Python: who, when, and which way each case goes.

A plan is a list of light `Slot` records, one per case, made from the
calibration table with one seeded `random.Random`. Nothing here touches the
database; `brik.demo.history` turns each slot into the rows that the case
services would have written.

Longer than 400 lines on purpose: the plan of a case is drawn in one pass with
one random source; split, the order of draws (and so the seeded demo) would be
harder to keep.
"""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from brik.cases import rules
from brik.core.choices import ExploitationForm, Gender, LabourSector, Outcome, StayBasis
from brik.core.countries import EU_MEMBERS, REPORTING_COUNTRY
from brik.demo.calibration import HISTORY_START, Plan, YearFigures, apportion, history_end
from brik.demo.reference import COUNTRIES

IDENTIFIED, NOT_IDENTIFIED = Outcome.IDENTIFIED.value, Outcome.NOT_IDENTIFIED.value

# Ways a case goes after the decision (see _plan_paths).
RETURN = "return"
STAY = "stay"
DECLINED = "declined"
DISAPPEARED = "disappeared"
DEPARTED = "departed"
TRANSFERRED = "transferred"
REJECTED = "rejected"  # not identified
# Cases still waiting for a decision at the end of the history.
PENDING_REFERRED = "pending_referred"
PENDING_PLANNED = "pending_planned"
PENDING_INTERVIEWED = "pending_interviewed"
# The oldest undecided referral is this many days old on the demo's today.
PENDING_WINDOW_DAYS = 45
# The share of the undecided referrals that arrived this week.
NEW_THIS_WEEK_SHARE = 0.3


@dataclass(slots=True, eq=False)
class Slot:
    """One case to generate."""

    index: int
    year: int | None  # decision year; None while pending
    outcome: str  # identified, not_identified, or "" while pending
    gender: str
    forms: tuple[str, ...] = ()
    minor: bool = False
    age: int = 30  # at the decision (pending: at the referral)
    country: str = ""
    second_country: str = ""
    labour_sector: str = ""
    legal_residence: bool = False
    decided_on: date | None = None
    referred_on: date = HISTORY_START
    path: str = ""
    departed_on: date | None = None
    stay_from: date | None = None
    stay_basis: str = ""
    closes_on: date | None = None  # may lie after the end of the history: then still open
    dob: date | None = None
    person: int = -1  # index of the slot that holds the person (the first case)
    sequence: int = 1
    code: str = ""  # the person's code, BRK-<year>-<NNNN>
    # Filled by brik.demo.cooperation and the history step:
    channel: str = ""
    referring_organisation: str = ""
    police_district: str = ""
    municipality: str = ""
    joint_action: int | None = None
    caseworker: str = ""  # "" for a new referral nobody has taken yet (unassigned)
    unassigned: bool = False
    case_pk: int | None = None

    @property
    def is_open_at_end(self) -> bool:
        return self.closes_on is None or self.closes_on > history_end()


def share_dates(slots: list[Slot]) -> None:
    """Let equal dates of the slots be one object each: every slot is held until the
    cooperation records are made, and a million slots hold millions of dates (32
    bytes each) of a few thousand distinct days. Dates are immutable; nothing changes."""
    dates = [f for f in Slot.__slots__ if f.endswith("_on") or f in ("dob", "stay_from")]  # type: ignore[attr-defined]
    shared: dict[date, date] = {}
    for slot in slots:
        for name in dates:
            value = getattr(slot, name)
            if value is not None:
                setattr(slot, name, shared.setdefault(value, value))


# --- small helpers ----------------------------------------------------------------------


def between(rng: random.Random, first: date, last: date) -> date:
    """A day from first to last, both included (first if last is earlier)."""
    span = (last - first).days
    return first if span <= 0 else first + timedelta(days=rng.randint(0, span))


def workday(day: date) -> date:
    """The day itself, or the Monday after a weekend."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def workdays(first: date, last: date) -> list[date]:
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def dob_for_age(rng: random.Random, day: date, age: int) -> date:
    """A date of birth that makes the person exactly `age` on `day`."""
    try:
        latest = day.replace(year=day.year - age)  # the birthday falls on `day`
    except ValueError:  # 29 February
        latest = day.replace(year=day.year - age, day=28)
    dob = latest - timedelta(days=rng.randint(0, 360))
    return dob if age_on(dob, day) == age else latest


def adult_age(rng: random.Random) -> int:
    return max(18, min(62, round(rng.triangular(18, 58, 24))))


def weighted_sample(rng: random.Random, items: Sequence, weights: Sequence[float], k: int) -> list:
    """k distinct items, more likely the heavier ones (Efraimidis-Spirakis)."""
    if k <= 0:
        return []
    keyed = sorted(
        ((rng.random() ** (1.0 / w) if w > 0 else 0.0, i) for i, w in enumerate(weights)),
        reverse=True,
    )
    return [items[i] for _key, i in keyed[:k]]


def assign_from_counts(
    rng: random.Random,
    slots: Sequence[Slot],
    counts: dict[str, int],
    affinity: Callable[[Slot, str], float],
    profile: Callable[[Slot], tuple],
) -> list[str]:
    """Hand out exactly `counts` values to the slots, each preferring values it fits.

    `profile` says which slots share their affinities, so they are computed once.
    """
    keys = list(counts)
    remaining = [counts[k] for k in keys]
    affinities: dict[tuple, list[float]] = {}
    chosen = []
    for slot in slots:
        key = profile(slot)
        if key not in affinities:
            affinities[key] = [affinity(slot, k) for k in keys]
        weights = [n * a for n, a in zip(remaining, affinities[key], strict=True)]
        i = rng.choices(range(len(keys)), weights)[0]
        remaining[i] -= 1
        chosen.append(keys[i])
    return chosen


def _profile(slot: Slot) -> tuple:
    return (slot.gender, slot.forms, slot.minor)


# --- identified and not identified persons ------------------------------------------------


def _decision_days(year: int) -> list[date]:
    first = date(year, 1, 14) if year == HISTORY_START.year else date(year, 1, 2)
    return workdays(first, min(date(year, 12, 31), history_end() - timedelta(days=1)))


def _country_affinity(slot: Slot, code: str) -> float:
    country = COUNTRIES[code]
    value = max((country.affinity.get(form, 0.4) for form in slot.forms), default=1.0)
    if slot.minor and code == REPORTING_COUNTRY:
        value *= 4
    if slot.gender == Gender.TRANS_NONCONFORMING and code in ("BR", "TH", "CO"):
        value *= 6
    return value


def _sector_affinity(slot: Slot, sector: str) -> float:
    male = {LabourSector.F, LabourSector.A, LabourSector.C, LabourSector.H}
    female = {LabourSector.T, LabourSector.I, LabourSector.N}
    if (slot.gender == Gender.MAN and sector in male) or (
        slot.gender == Gender.WOMAN and sector in female
    ):
        return 3.0
    return 1.0


def nationality_counts(rng: random.Random, figures: YearFigures, n: int) -> dict[str, int]:
    """How many identified persons hold each citizenship: exactly `nationalities` countries,
    the published top five first."""
    k = min(figures.nationalities, n)
    top = list(figures.top_nationalities[:k])
    pool = [code for code in COUNTRIES if code not in top]
    tail = weighted_sample(rng, pool, [COUNTRIES[code].prevalence for code in pool], k - len(top))
    tail.sort(key=lambda code: (-COUNTRIES[code].prevalence, code))
    tail_prevalence = sum(COUNTRIES[code].prevalence for code in tail) or 1
    weights = [0.24, 0.16, 0.12, 0.10, 0.08][: len(top)] + [
        0.30 * COUNTRIES[code].prevalence / tail_prevalence for code in tail
    ]
    counts = sorted((1 + x for x in apportion(n - k, weights)), reverse=True)
    # The published ranking needs strict steps: the top five and the sixth never tie.
    for i in range(min(len(top), len(counts) - 1)):
        while counts[i] <= counts[i + 1]:
            donors = [j for j in range(len(counts) - 1, i + 1, -1) if counts[j] > 1]
            if not donors:
                break
            counts[donors[0]] -= 1
            counts[i] += 1
            counts[i + 1 :] = sorted(counts[i + 1 :], reverse=True)
        else:
            continue
        break
    return dict(zip(top + tail, counts, strict=True))


def _identified_slots(rng: random.Random, figures: YearFigures) -> list[Slot]:
    slots = [
        Slot(index=-1, year=figures.year, outcome=IDENTIFIED, gender=g.gender, forms=g.forms)
        for g in figures.composition
        for _ in range(g.count)
    ]
    rng.shuffle(slots)
    minor_weights = [
        3
        if ExploitationForm.CRIMINAL in s.forms
        else 2
        if ExploitationForm.SEXUAL in s.forms
        else 1
        for s in slots
    ]
    for slot in weighted_sample(rng, slots, minor_weights, figures.minors):
        slot.minor = True
        slot.age = rng.randint(*figures.minor_ages)
    for slot in slots:
        if not slot.minor:
            slot.age = adult_age(rng)

    counts = nationality_counts(rng, figures, len(slots))
    for slot, code in zip(
        slots, assign_from_counts(rng, slots, counts, _country_affinity, _profile), strict=True
    ):
        slot.country = code
    # A few hold a second citizenship: one already counted this year (so the number
    # of nationalities stays as published) and outside the top five, never enough
    # to climb into it (so the ranking stays as published too).
    tally = dict(counts)
    fifth = counts[figures.top_nationalities[-1]] if len(counts) > 5 else 0
    for slot in slots:
        if slot.minor or rng.random() >= 0.015:
            continue
        options = [
            code
            for code in counts
            if code not in figures.top_nationalities
            and code != slot.country
            and tally[code] + 1 < fifth
        ]
        if options:
            slot.second_country = rng.choice(options)
            tally[slot.second_country] += 1

    labour = [s for s in slots if ExploitationForm.FORCED_LABOUR in s.forms]
    sectors = dict(
        zip(
            figures.labour_sectors,
            apportion(len(labour), list(figures.labour_sectors.values())),
            strict=True,
        )
    )
    for slot, sector in zip(
        labour, assign_from_counts(rng, labour, sectors, _sector_affinity, _profile), strict=True
    ):
        slot.labour_sector = sector

    days = _decision_days(figures.year)
    for slot in slots:
        slot.decided_on = rng.choice(days)
    return slots


def _random_gender(rng: random.Random) -> str:
    return rng.choices(
        [Gender.WOMAN, Gender.MAN, Gender.TRANS_NONCONFORMING, Gender.UNKNOWN],
        [52, 44, 1, 3],
    )[0].value


def _random_country(rng: random.Random) -> str:
    codes = list(COUNTRIES)
    return rng.choices(codes, [COUNTRIES[code].prevalence for code in codes])[0]


def _not_identified_slots(rng: random.Random, figures: YearFigures) -> list[Slot]:
    days = _decision_days(figures.year)
    slots = []
    for _ in range(figures.not_identified):
        minor = rng.random() < 0.04
        slots.append(
            Slot(
                index=-1,
                year=figures.year,
                outcome=NOT_IDENTIFIED,
                gender=_random_gender(rng),
                minor=minor,
                age=rng.randint(15, 17) if minor else adult_age(rng),
                country=_random_country(rng),
                decided_on=rng.choice(days),
                path=REJECTED,
            )
        )
    return slots


def _legal_residence(rng: random.Random, slot: Slot) -> bool:
    codes = {slot.country, slot.second_country} - {""}
    return bool(codes & (EU_MEMBERS | {REPORTING_COUNTRY})) or rng.random() < 0.08


def _referral_lag(rng: random.Random, slot: Slot) -> int:
    median = 28 if slot.outcome == IDENTIFIED else 20
    return max(2, min(150, round(rng.lognormvariate(0, 0.6) * median)))


# --- the way forward after the decision ---------------------------------------------------


def _return_weight(slot: Slot) -> float:
    if slot.country == REPORTING_COUNTRY or slot.minor:
        return 0.0 if slot.country == REPORTING_COUNTRY else 0.3
    weight = {"NG": 1.6, "TH": 1.6, "UG": 1.5, "VN": 1.3, "RO": 1.1, "BG": 1.1, "MA": 0.8}
    return weight.get(slot.country, 0.8 if slot.country in EU_MEMBERS else 1.0)


def _plan_returns(rng: random.Random, identified: list[Slot], plan: Plan) -> None:
    """Choose who departs on a prepared return in each year: exactly the year's figure."""
    chosen: set[int] = set()
    by_decision = sorted(identified, key=lambda s: (s.decided_on, s.index))
    for year in plan.years:
        quota = plan.figures[year].prepared_returns
        first, last = date(year, 1, 1), min(date(year, 12, 31), history_end())
        window_from = first - timedelta(days=100)
        candidates = [
            s
            for s in by_decision
            if s.index not in chosen
            and window_from <= s.decided_on <= last - timedelta(days=14)
            and _return_weight(s) > 0
        ]
        weights = [_return_weight(s) * (1.0 if s.year == year else 0.4) for s in candidates]
        if len(candidates) < quota:
            raise ValueError(f"Not enough identified persons for {quota} returns in {year}.")
        for slot in weighted_sample(rng, candidates, weights, quota):
            chosen.add(slot.index)
            earliest = max(slot.decided_on + timedelta(days=14), first)
            latest = min(slot.decided_on + timedelta(days=110), last)
            slot.departed_on = between(rng, earliest, latest)
            slot.path = RETURN
            slot.closes_on = rules.follow_up_until(slot.departed_on)


def _plan_paths(rng: random.Random, slots: list[Slot]) -> None:
    for slot in slots:
        d = slot.decided_on
        if slot.outcome == NOT_IDENTIFIED:
            slot.closes_on = d + timedelta(days=rng.randint(0, 21))
            continue
        if slot.path == RETURN:
            continue
        if slot.country == REPORTING_COUNTRY:
            options = {STAY: 60, DECLINED: 25, TRANSFERRED: 15}
        elif slot.country in EU_MEMBERS:
            options = {STAY: 35, DECLINED: 25, DISAPPEARED: 10, DEPARTED: 25, TRANSFERRED: 5}
        else:
            options = {STAY: 35, DECLINED: 20, DISAPPEARED: 25, DEPARTED: 15, TRANSFERRED: 5}
        slot.path = rng.choices(list(options), list(options.values()))[0]
        if slot.path == STAY:
            slot.stay_from = d + timedelta(days=rng.randint(20, 110))
            if slot.country == REPORTING_COUNTRY:
                slot.stay_basis = StayBasis.CITIZEN
            elif slot.country in EU_MEMBERS or slot.second_country in EU_MEMBERS:
                slot.stay_basis = StayBasis.EU_RESIDENCE
            else:
                slot.stay_basis = rng.choices(
                    [StayBasis.INVESTIGATION_PERMIT, StayBasis.ASYLUM, StayBasis.OTHER], [5, 4, 1]
                )[0]
            slot.closes_on = slot.stay_from + timedelta(days=rng.randint(60, 420))
        else:
            days = {
                DECLINED: (5, 45),
                DISAPPEARED: (7, 100),
                DEPARTED: (10, 90),
                TRANSFERRED: (20, 120),
            }
            slot.closes_on = d + timedelta(days=rng.randint(*days[slot.path]))


# --- re-trafficking --------------------------------------------------------------------


def _plan_retrafficking(
    rng: random.Random, slots: list[Slot], wanted: int, years: tuple[int, ...]
) -> int:
    """Make `wanted` later identified cases second passages of earlier identified persons."""
    identified = [
        s for s in slots if s.outcome == IDENTIFIED and not s.minor and not s.second_country
    ]
    later_years = years[1:]
    per_year = apportion(wanted, [sum(1 for s in identified if s.year == y) for y in later_years])
    # Earlier identified persons by (gender, country): a second passage needs both equal.
    earlier: dict[tuple[str, str], list[Slot]] = {}
    for slot in identified:
        if slot.closes_on is not None and slot.closes_on <= history_end():
            earlier.setdefault((slot.gender, slot.country), []).append(slot)
    used: set[int] = set()
    made = 0
    for year, quota in zip(later_years, per_year, strict=True):
        seconds = [s for s in identified if s.year == year]
        rng.shuffle(seconds)
        for second in seconds:
            if quota == 0:
                break
            if second.index in used:
                continue
            # A few random tries instead of a scan: candidates are plenty.
            candidates = earlier.get((second.gender, second.country), [])
            first = None
            for _try in range(min(len(candidates), 25)):
                s = rng.choice(candidates)
                if (
                    s.year < year
                    and s.index not in used
                    and s.closes_on + timedelta(days=30) < second.referred_on
                ):
                    first = s
                    break
            if first is None:
                continue
            used.update((first.index, second.index))
            second.person = first.index
            second.sequence = 2
            second.dob = first.dob
            second.age = age_on(first.dob, second.decided_on)
            quota -= 1
            made += 1
    return made


# --- cases still waiting at the end of the history -------------------------------------------


def _pending_slots(rng: random.Random, count: int) -> list[Slot]:
    """Cases referred in the last weeks and not yet decided; about a third of them arrived
    this week (from Monday to today) and wait for their first step, some of those for a
    caseworker. No referral is older than PENDING_WINDOW_DAYS, so none waits for its
    decision much longer than BRIK_DECISION_PENDING_DAYS."""
    today = history_end()
    monday = today - timedelta(days=today.weekday())
    this_week = workdays(monday, today) or [monday]
    earlier = workdays(today - timedelta(days=PENDING_WINDOW_DAYS), monday - timedelta(days=1))
    new = min(count, max(3, round(count * NEW_THIS_WEEK_SHARE)))
    slots = []
    for i in range(count):
        minor = rng.random() < 0.05
        fresh = i < new
        slots.append(
            Slot(
                index=-1,
                year=None,
                outcome="",
                gender=_random_gender(rng),
                minor=minor,
                age=rng.randint(15, 17) if minor else adult_age(rng),
                country=_random_country(rng),
                referred_on=rng.choice(this_week if fresh else earlier),
                path=PENDING_REFERRED
                if fresh
                else rng.choices(
                    [PENDING_REFERRED, PENDING_PLANNED, PENDING_INTERVIEWED], [3, 3, 4]
                )[0],
                unassigned=fresh and rng.random() < 0.5,
            )
        )
    return slots


# --- the whole plan ---------------------------------------------------------------------


def plan_cases(plan: Plan, seed: int) -> list[Slot]:
    """Every case of the demo, with its dates and way forward, in a stable order."""
    rng = random.Random(f"{seed}:cases")
    slots: list[Slot] = []
    for year in plan.years:
        slots += _identified_slots(rng, plan.figures[year])
        slots += _not_identified_slots(rng, plan.figures[year])
    for index, slot in enumerate(slots):
        slot.index = index
        slot.person = index
        slot.legal_residence = _legal_residence(rng, slot)
        slot.referred_on = max(
            HISTORY_START, slot.decided_on - timedelta(days=_referral_lag(rng, slot))
        )
        slot.dob = dob_for_age(rng, slot.decided_on, slot.age)
    _plan_returns(rng, [s for s in slots if s.outcome == IDENTIFIED], plan)
    _plan_paths(rng, slots)
    made = _plan_retrafficking(rng, slots, plan.retrafficked, plan.years)

    pending = plan.persons - (len(slots) - made)
    if pending < 0:
        raise ValueError("Too few persons for the calibrated cases.")
    for slot in _pending_slots(rng, pending):
        slot.index = slot.person = len(slots)
        slot.legal_residence = _legal_residence(rng, slot)
        slot.dob = dob_for_age(rng, slot.referred_on, slot.age)
        slots.append(slot)
    _assign_codes(slots)
    return slots


def _assign_codes(slots: list[Slot]) -> None:
    """BRK-<year of the first referral>-<NNNN>, numbered in order of referral, as the services do."""
    firsts = sorted((s for s in slots if s.sequence == 1), key=lambda s: (s.referred_on, s.index))
    numbers: dict[int, int] = {}
    codes: dict[int, str] = {}
    for slot in firsts:
        year = slot.referred_on.year
        numbers[year] = numbers.get(year, 0) + 1
        codes[slot.index] = f"BRK-{year}-{numbers[year]:04d}"
    for slot in slots:
        slot.code = codes[slot.person]
