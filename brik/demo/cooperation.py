"""The work around the cases: joint authority actions, NGO outreach, prosecutions, the action plan.

Planned in plain Python like the cases and turned into unsaved model rows with
the action-log entries that brik.cooperation.services would have written.
Counts scale with the demo's size (`factor`), so a larger demo keeps the
same proportions.

Longer than 400 lines on purpose: the four kinds of cooperation records share
one planning context and are generated together.
"""

import random
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from brik.audit.events import AuditEvent
from brik.cooperation.models import (
    ActionPlan,
    FocusArea,
    IndicatorMeasurement,
    Initiative,
    JointAction,
    Milestone,
    OutreachLog,
    PlanIndicator,
    ProsecutionCase,
)
from brik.core import choices
from brik.core.choices import JointActionStatus, PlaceType, Region, Sector
from brik.demo import reference as ref
from brik.demo.calibration import demo_years, history_end
from brik.demo.planning import IDENTIFIED, Slot, between, workday, workdays
from brik.demo.records import AuditRecord, make

_REGION_WEIGHTS = {
    Region.HOVEDSTADEN: 40,
    Region.MIDTJYLLAND: 20,
    Region.SYDDANMARK: 20,
    Region.SJAELLAND: 12,
    Region.NORDJYLLAND: 8,
}
_REGION_NAMES = {
    Region.HOVEDSTADEN: "Region Hovedstaden",
    Region.MIDTJYLLAND: "Region Midtjylland",
    Region.SYDDANMARK: "Region Syddanmark",
    Region.SJAELLAND: "Region Sjælland",
    Region.NORDJYLLAND: "Region Nordjylland",
}
_SECTOR_WEIGHTS = {
    Sector.CONSTRUCTION: 25,
    Sector.AGRICULTURE: 15,
    Sector.CLEANING: 15,
    Sector.RESTAURANTS: 15,
    Sector.MASSAGE: 20,
    Sector.TRANSPORT: 10,
}
_SECTOR_TITLES = {
    Sector.CONSTRUCTION: "byggepladser",
    Sector.AGRICULTURE: "landbrug og gartnerier",
    Sector.CLEANING: "rengøringsvirksomheder",
    Sector.RESTAURANTS: "restauranter og hoteller",
    Sector.MASSAGE: "massageklinikker",
    Sector.TRANSPORT: "vejtransport",
}


def _at(day: date, tz: ZoneInfo, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=tz)


def _scaled(rng: random.Random, value: float, factor: float) -> int:
    """A count scaled to the demo's size, rounded at random so sums stay proportional."""
    scaled = value * factor
    whole = int(scaled)
    return whole + (1 if rng.random() < scaled - whole else 0)


# --- joint authority actions ----------------------------------------------------------


@dataclass(eq=False)
class PlannedAction:
    index: int
    planned_for: date
    region: str
    sector: str
    lead: str
    participants: tuple[str, ...]
    status: str
    linked: int = 0  # referrals linked to it (brik.demo.referrals counts them)

    @property
    def held(self) -> bool:
        return self.status == JointActionStatus.HELD


def plan_joint_actions(seed: int, factor: float) -> list[PlannedAction]:
    rng = random.Random(f"{seed}:joint-actions")
    actions: list[PlannedAction] = []
    by_region: dict[str, list[str]] = {}
    for district in ref.POLICE_DISTRICTS:
        by_region.setdefault(district.region, []).append(district.name)
    years = demo_years()
    today = history_end()
    schedule = [(year, date(year, 1, 10), date(year, 12, 15)) for year in years]
    per_year = [5 if year < 2022 else 9 for year in years]
    # A few planned for the coming months: the live calendar.
    schedule.append((today.year, today + timedelta(days=6), today + timedelta(days=90)))
    per_year.append(3)
    for (year, first, last), count in zip(schedule, per_year, strict=True):
        days = workdays(first, last)
        for _ in range(max(1, _scaled(rng, count, factor))):
            region = rng.choices(list(_REGION_WEIGHTS), list(_REGION_WEIGHTS.values()))[0]
            sector = rng.choices(list(_SECTOR_WEIGHTS), list(_SECTOR_WEIGHTS.values()))[0]
            police = rng.choice(by_region[region])
            if sector == Sector.MASSAGE:
                lead = police if rng.random() < 0.8 else ref.TAX
            else:
                lead = rng.choices([police, ref.TAX, ref.LABOUR], [50, 25, 25])[0]
            participants = [lead, police, ref.TAX, ref.LABOUR]
            if year >= 2022 or rng.random() < 0.5:
                participants.append(ref.CENTRE)
            if rng.random() < 0.3:
                participants.append(ref.SIRI)
            if rng.random() < 0.1:
                participants.append(ref.IMMIGRATION)
            day = rng.choice(days)
            if day > history_end():
                status = JointActionStatus.PLANNED
            elif rng.random() < 0.06:
                status = JointActionStatus.CANCELLED
            else:
                status = JointActionStatus.HELD
            actions.append(
                PlannedAction(
                    index=len(actions),
                    planned_for=day,
                    region=region,
                    sector=sector,
                    lead=lead,
                    participants=tuple(dict.fromkeys(participants)),
                    status=status,
                )
            )
    return actions


def joint_action_rows(
    seed: int, actions: list[PlannedAction], orgs: dict, users: dict, tz: ZoneInfo
) -> tuple[list[JointAction], list[tuple], list[AuditRecord]]:
    """The JointAction rows, their participants, and their action-log entries."""
    rng = random.Random(f"{seed}:joint-action-rows")
    rows, participants, audit = [], [], []
    lead_user = users["lead"]
    for action in actions:
        created = min(
            action.planned_for - timedelta(days=rng.randint(10, 40)),
            history_end() - timedelta(days=rng.randint(1, 20)),
        )
        row = make(
            JointAction,
            title=f"Fælles myndighedsaktion: {_SECTOR_TITLES[action.sector]} i "
            f"{_REGION_NAMES[action.region]}",
            status=action.status,
            planned_for=action.planned_for,
            region=action.region,
            sector=action.sector,
            lead_organisation=orgs[action.lead],
            created_by=lead_user,
            created_at=_at(created, tz),
            updated_at=_at(created, tz),
        )
        data = {
            "planned_for": action.planned_for,
            "region": action.region,
            "sector": action.sector,
            "lead_organisation": orgs[action.lead],
            "participants": [orgs[name] for name in action.participants],
        }
        audit.append(
            AuditRecord(row.created_at, lead_user, AuditEvent.JOINT_ACTION_PLANNED, row, None, data)
        )
        if action.held:
            referred = action.linked + rng.randint(0, 2)
            row.persons_referred = referred
            row.persons_met = referred + rng.randint(3, 35)
            row.outcome_notes = rng.choice(
                ["", "Flere arbejdstagere uden kontrakt; sager videregivet.", "Ingen akutte fund."]
            )
            row.updated_at = _at(action.planned_for, tz, 16)
            audit.append(
                AuditRecord(
                    row.updated_at,
                    lead_user,
                    AuditEvent.JOINT_ACTION_HELD,
                    row,
                    None,
                    {"persons_met": row.persons_met, "persons_referred": referred},
                )
            )
        elif action.status == JointActionStatus.CANCELLED:
            row.updated_at = _at(action.planned_for - timedelta(days=2), tz)
            audit.append(
                AuditRecord(
                    row.updated_at,
                    lead_user,
                    AuditEvent.JOINT_ACTION_CANCELLED,
                    row,
                    None,
                    {"reason": ""},
                )
            )
        rows.append(row)
        participants.extend((row, orgs[name]) for name in action.participants)
    return rows, participants, audit


# --- NGO outreach -----------------------------------------------------------------------

_OUTREACH = {
    # organisation: (places, regions)
    "Reden København": (
        {PlaceType.STREET: 5, PlaceType.BROTHEL: 3, PlaceType.ONLINE: 2},
        {Region.HOVEDSTADEN: 75, Region.MIDTJYLLAND: 15, Region.SYDDANMARK: 10},
    ),
    "AmiAmi": (
        {PlaceType.BROTHEL: 6, PlaceType.ONLINE: 3, PlaceType.SHELTER: 1},
        {Region.HOVEDSTADEN: 60, Region.SJAELLAND: 20, Region.SYDDANMARK: 20},
    ),
    "HopeNow": (
        {PlaceType.STREET: 5, PlaceType.SHELTER: 3, PlaceType.ONLINE: 2},
        {Region.HOVEDSTADEN: 85, Region.MIDTJYLLAND: 15},
    ),
    "Kirkens Korshær": (
        {PlaceType.SHELTER: 5, PlaceType.STREET: 3, PlaceType.LABOUR_SITE: 2},
        {Region.HOVEDSTADEN: 70, Region.MIDTJYLLAND: 15, Region.SYDDANMARK: 15},
    ),
}
_OUTREACH_NOTES = (
    "",
    "",
    "Runde med informationsmateriale på flere sprog.",
    "Flere nye ansigter i området.",
    "Tilbud om sundhedstjek og rådgivning.",
)


def outreach_rows(
    seed: int, factor: float, slots: list[Slot], orgs: dict, users: dict, tz: ZoneInfo
) -> tuple[list[OutreachLog], list[AuditRecord]]:
    """Weekly-ish anonymous rounds per NGO since 2022; the demo's outreach referrals are in them."""
    rng = random.Random(f"{seed}:outreach")
    logs: dict[str, list[OutreachLog]] = {}
    for name, (places, regions) in _OUTREACH.items():
        day = date(2022, 1, 3) + timedelta(days=rng.randint(0, 6))
        while day <= history_end():
            place = rng.choices(list(places), list(places.values()))[0]
            sector = {
                PlaceType.STREET: Sector.PROSTITUTION,
                PlaceType.BROTHEL: rng.choice([Sector.PROSTITUTION, Sector.MASSAGE]),
                PlaceType.ONLINE: Sector.PROSTITUTION,
                PlaceType.LABOUR_SITE: rng.choice([Sector.CONSTRUCTION, Sector.CLEANING]),
            }.get(place, "")
            labour = place == PlaceType.LABOUR_SITE
            log = make(
                OutreachLog,
                organisation=orgs[name],
                held_on=day,
                place_type=place,
                region=rng.choices(list(regions), list(regions.values()))[0],
                sector=sector,
                women=_scaled(rng, rng.randint(1, 6) if labour else rng.randint(4, 24), factor),
                men=_scaled(rng, rng.randint(4, 20) if labour else rng.randint(0, 4), factor),
                trans=_scaled(rng, 1 if rng.random() < 0.2 else 0, factor),
                unknown=_scaled(rng, rng.randint(0, 2), factor),
                referrals_made=0,
                note=rng.choice(_OUTREACH_NOTES),
                logged_by=users["outreach"]
                if users["outreach"].organisation.name == name
                else None,
            )
            logs.setdefault(name, []).append(log)
            day = workday(day + timedelta(days=rng.randint(5, 9)))
    # Each outreach referral of the demo was made in the NGO's latest round before it
    # (each NGO's rounds are in date order: found by bisection).
    held = {name: [log.held_on for log in rounds] for name, rounds in logs.items()}
    for slot in slots:
        if slot.channel != choices.ReferralChannel.OUTREACH:
            continue
        position = bisect_right(held.get(slot.referring_organisation, []), slot.referred_on)
        if position == 0:
            continue
        log = logs[slot.referring_organisation][position - 1]
        log.referrals_made += 1
        if log.referrals_made > log.women + log.men + log.trans + log.unknown:
            field_for = {
                choices.Gender.WOMAN: "women",
                choices.Gender.MAN: "men",
                choices.Gender.TRANS_NONCONFORMING: "trans",
            }
            name = field_for.get(slot.gender, "unknown")
            setattr(log, name, getattr(log, name) + 1)
    rows, audit = [], []
    for name in _OUTREACH:
        for log in logs.get(name, []):
            log.created_at = log.updated_at = _at(log.held_on, tz, 17)
            counts = {
                f: getattr(log, f) for f in ("women", "men", "trans", "unknown", "referrals_made")
            }
            audit.append(
                AuditRecord(
                    log.created_at,
                    log.logged_by,
                    AuditEvent.OUTREACH_LOG_ADDED,
                    log,
                    None,
                    {"organisation": log.organisation, "held_on": log.held_on, **counts},
                )
            )
            rows.append(log)
    return rows, audit


# --- prosecution ----------------------------------------------------------------------------

_EXTRA_CHARGES = [
    choices.Charge.PROCURING,
    choices.Charge.PIMPING,
    choices.Charge.COERCION,
    choices.Charge.DEPRIVATION_OF_LIBERTY,
    choices.Charge.ALIENS_ACT,
]


@dataclass
class PlannedProsecution:
    row: ProsecutionCase
    victims: list[Slot] = field(default_factory=list)


def prosecution_rows(
    seed: int, factor: float, slots: list[Slot], orgs: dict, tz: ZoneInfo
) -> tuple[list[PlannedProsecution], list[AuditRecord]]:
    """Police cases under § 262 a and related charges, linked to identified victims' cases."""
    rng = random.Random(f"{seed}:prosecutions")
    # Per district, the identified persons in order of decision, with their decision days
    # alongside: each police case takes its victims from a window found by bisection
    # (a scan per case would grow with the square of the demo's size).
    victims_by_district: dict[str, list[Slot]] = {}
    identified = (slot for slot in slots if slot.outcome == IDENTIFIED)
    for slot in sorted(identified, key=lambda s: (s.decided_on or date.min, s.index)):
        victims_by_district.setdefault(slot.police_district, []).append(slot)
    decided_by_district = {
        name: [s.decided_on for s in victims] for name, victims in victims_by_district.items()
    }
    districts = ref.POLICE_DISTRICTS
    weights = [d.weight for d in districts]
    planned, audit = [], []
    number = 0
    today = history_end()
    for year in demo_years():
        first, last = date(year, 1, 5), date(year, 12, 20)
        days = workdays(first, min(last, today - timedelta(days=1)))
        if not days:
            continue
        share = len(days) / len(workdays(first, last))  # of the current year: up to today
        for _ in range(max(1, _scaled(rng, 11 * share, factor))):
            number += 1
            district = rng.choices(districts, weights)[0]
            opened = rng.choice(days)
            row = make(
                ProsecutionCase,
                police_district=orgs[district.name],
                police_case_number=f"{districts.index(district) + 1:02d}00-"
                f"{rng.randint(70000, 89999)}-{number:05d}-{year % 100:02d}",
                suspects=rng.choices([1, 2, 3, 4, 5], [40, 25, 15, 12, 8])[0],
                status=choices.ProsecutionStatus.INVESTIGATION,
                opened_on=opened,
                created_at=_at(opened, tz),
                updated_at=_at(opened, tz),
            )
            audit.append(
                AuditRecord(
                    row.created_at,
                    None,
                    AuditEvent.PROSECUTION_OPENED,
                    row,
                    None,
                    {
                        "police_district": row.police_district,
                        "police_case_number": row.police_case_number,
                        "opened_on": opened,
                        "suspects": row.suspects,
                    },
                )
            )
            _prosecution_course(rng, row, tz, audit)
            decided = decided_by_district.get(district.name, [])
            victims = victims_by_district.get(district.name, [])[
                bisect_left(decided, opened - timedelta(days=365)) : bisect_right(
                    decided, opened + timedelta(days=30)
                )
            ]
            chosen = rng.sample(
                victims, min(len(victims), rng.choices([1, 2, 3, 4], [45, 30, 15, 10])[0])
            )
            planned.append(PlannedProsecution(row, sorted(chosen, key=lambda s: s.index)))
    return planned, audit


def _prosecution_course(
    rng: random.Random, row: ProsecutionCase, tz: ZoneInfo, audit: list
) -> None:
    """Charge, then verdict or drop, as far as the end of the history allows."""
    charged = row.opened_on + timedelta(days=rng.randint(60, 300))
    if rng.random() < 0.12:
        dropped = between(
            rng, row.opened_on + timedelta(days=30), row.opened_on + timedelta(days=400)
        )
        if dropped <= history_end():
            row.status, row.dropped_on = choices.ProsecutionStatus.DROPPED, dropped
            row.updated_at = _at(dropped, tz)
            audit.append(
                AuditRecord(
                    row.updated_at,
                    None,
                    AuditEvent.PROSECUTION_DROPPED,
                    row,
                    None,
                    {
                        "dropped_on": dropped,
                        "previous_status": choices.ProsecutionStatus.INVESTIGATION,
                        "reason": "",
                    },
                )
            )
        return
    if charged > history_end():
        return
    charges = [choices.Charge.TRAFFICKING.value]
    if rng.random() < 0.5:
        charges += [str(x) for x in rng.sample(_EXTRA_CHARGES, rng.randint(1, 2))]
    row.status, row.charged_on, row.charges = choices.ProsecutionStatus.CHARGED, charged, charges
    row.persons_charged = rng.randint(1, row.suspects)
    row.updated_at = _at(charged, tz)
    audit.append(
        AuditRecord(
            row.updated_at,
            None,
            AuditEvent.PROSECUTION_CHARGED,
            row,
            None,
            {"charged_on": charged, "charges": charges, "persons_charged": row.persons_charged},
        )
    )
    verdict_on = charged + timedelta(days=rng.randint(120, 420))
    if verdict_on > history_end():
        return
    verdict = rng.choices(
        [choices.Verdict.CONVICTED, choices.Verdict.CONVICTED_OTHER, choices.Verdict.ACQUITTED],
        [65, 15, 20],
    )[0]
    row.status, row.verdict_on, row.verdict = choices.ProsecutionStatus.VERDICT, verdict_on, verdict
    if verdict == choices.Verdict.ACQUITTED:
        row.persons_convicted, row.sentence = 0, ""
    else:
        row.persons_convicted = rng.randint(1, row.persons_charged)
        months = rng.choice([6, 10, 14, 18, 24, 30, 36, 48])
        row.sentence = (
            f"Fængsel i {months // 12} år og {months % 12} måneder"
            if months % 12 and months > 12
            else f"Fængsel i {months // 12} år"
            if months >= 12
            else f"Fængsel i {months} måneder"
        )
        if rng.random() < 0.4:
            row.compensation_dkk = Decimal(rng.randrange(25_000, 400_000, 5_000)).quantize(
                Decimal("0.01")
            )
    row.updated_at = _at(verdict_on, tz)
    audit.append(
        AuditRecord(
            row.updated_at,
            None,
            AuditEvent.PROSECUTION_VERDICT_RECORDED,
            row,
            None,
            {
                "verdict_on": verdict_on,
                "verdict": verdict,
                "persons_convicted": row.persons_convicted,
                "compensation_dkk": row.compensation_dkk,
            },
        )
    )


# --- the 6th national action plan -------------------------------------------------------------

PLAN_TITLE = "Handlingsplan til bekæmpelse af menneskehandel 2022-2025"
PLAN_BUDGET_DKK = 120_000_000
FOCUS_AREAS = (
    "Styrket myndighedsindsats, opsøgende arbejde og identifikation",
    "Bedre tilbud til ofre for menneskehandel",
    "Styrket retsforfølgning af bagmænd",
)
# The areas' English names, shown in the English report.
FOCUS_AREAS_EN = (
    "Stronger authority efforts, outreach and identification",
    "Better support for victims of trafficking",
    "Stronger prosecution of traffickers",
)


@dataclass(frozen=True)
class InitiativeSpec:
    area: int  # index into FOCUS_AREAS
    title: str
    responsible: str  # organisation name
    status: str  # at the end of the history
    milestones: tuple[tuple[str, date], ...]  # (title, due)
    indicator: str | None = None  # key into INDICATORS


S = choices.InitiativeStatus
INITIATIVES = (
    InitiativeSpec(
        0,
        "Centeret gennemfører alle identifikationssamtaler i hele landet",
        ref.CENTRE,
        S.COMPLETED,
        (("Ny samtalemodel i brug", date(2022, 6, 30)),),
        "identified",
    ),
    InitiativeSpec(
        0,
        "Centeret deltager i fælles myndighedsaktioner",
        ref.CENTRE,
        S.IN_PROGRESS,
        (("Fast aftale om deltagelse med Skattestyrelsen og Arbejdstilsynet", date(2022, 9, 30)),),
        "joint_actions",
    ),
    InitiativeSpec(
        0,
        "Opsøgende social- og sundhedsarbejde ved NGO'er",
        "Reden København",
        S.IN_PROGRESS,
        (
            ("Driftsaftaler med NGO'er indgået", date(2022, 3, 31)),
            ("Midtvejsevaluering", date(2024, 6, 30)),
        ),
        "outreach",
    ),
    InitiativeSpec(
        0,
        "Videndeling om arbejdsmarkedskriminalitet",
        ref.TAX,
        S.IN_PROGRESS,
        (("Fælles vejledning om indikatorer", date(2023, 3, 31)),),
    ),
    InitiativeSpec(
        1,
        "Forberedt hjemsendelse med reintegrationsstøtte i op til seks måneder",
        ref.CENTRE,
        S.IN_PROGRESS,
        (("Nye partneraftaler i fem lande", date(2023, 6, 30)),),
        "returns",
    ),
    InitiativeSpec(
        1,
        "Kontaktperson til alle identificerede ofre",
        ref.CENTRE,
        S.COMPLETED,
        (("Ordning beskrevet og implementeret", date(2022, 12, 31)),),
    ),
    InitiativeSpec(
        1,
        "Styrkede bo- og sundhedstilbud",
        "Kirkens Korshær",
        S.DELAYED,
        (
            ("Nye pladser i botilbud", date(2023, 12, 31)),
            ("Sundhedstilbud udvidet", date(2025, 6, 30)),
        ),
    ),
    InitiativeSpec(
        2,
        "Øget fokus på straffelovens § 262 a i efterforskningen",
        ref.PROSECUTION,
        S.IN_PROGRESS,
        (("Opdateret vejledning til politikredsene", date(2023, 1, 31)),),
        "charges",
    ),
    InitiativeSpec(
        2,
        "Proaktiv efterforskning i politikredsene",
        "Østjyllands Politi",
        S.IN_PROGRESS,
        (("Erfaringsopsamling", date(2024, 9, 30)),),
    ),
    InitiativeSpec(
        2,
        "Erstatning til ofre i straffesager",
        ref.PROSECUTION,
        S.PLANNED,
        (("Kortlægning af tilkendte erstatninger", date(2025, 3, 31)),),
    ),
)
INDICATORS = {
    # key: (name, unit, baseline year, target as a multiple of the baseline)
    "identified": ("Personer vurderet udsat for menneskehandel", "personer", 2021, 1.1),
    "joint_actions": ("Fælles myndighedsaktioner gennemført", "aktioner", 2021, 1.6),
    "outreach": ("Kontakter i opsøgende arbejde", "kontakter", None, None),
    "returns": ("Forberedte hjemsendelser", "personer", 2021, 1.1),
    "charges": ("Sager med sigtelse efter § 262 a", "sager", 2021, 1.3),
}


@dataclass
class PlanRows:
    plan: ActionPlan
    focus_areas: list
    initiatives: list
    milestones: list
    indicators: list
    measurements: list
    audit: list


def action_plan_rows(
    seed: int,
    yearly: dict[str, dict[int, int]],
    orgs: dict,
    users: dict,
    tz: ZoneInfo,
) -> PlanRows:
    """The 6th plan with its focus areas, initiatives, milestones and measured indicators.

    `yearly` holds each indicator's value per year, counted from the generated data.
    """
    rng = random.Random(f"{seed}:action-plan")
    actor, analyst = users["lead"], users["analyst"]
    created = _at(date(2022, 1, 10), tz)
    plan = make(
        ActionPlan,
        number=6,
        title=PLAN_TITLE,
        starts_year=2022,
        ends_year=2025,
        budget_dkk=Decimal(PLAN_BUDGET_DKK),
        created_at=created,
        updated_at=created,
    )
    audit = [
        AuditRecord(
            created,
            actor,
            AuditEvent.ACTION_PLAN_CREATED,
            plan,
            None,
            {"number": 6, "starts_year": 2022, "ends_year": 2025},
        )
    ]
    areas = []
    for position, (title, title_en) in enumerate(
        zip(FOCUS_AREAS, FOCUS_AREAS_EN, strict=True), start=1
    ):
        area = make(FocusArea, plan=plan, position=position, title=title, title_en=title_en)
        areas.append(area)
        audit.append(
            AuditRecord(
                created,
                actor,
                AuditEvent.FOCUS_AREA_ADDED,
                area,
                None,
                {"plan": plan, "title": title, "position": position},
            )
        )
    initiatives, milestones, indicators, measurements = [], [], [], []
    for spec in INITIATIVES:
        area, responsible = areas[spec.area], orgs[spec.responsible]
        initiative = make(
            Initiative,
            focus_area=area,
            title=spec.title,
            responsible=responsible,
            status=spec.status,
            created_at=created,
            updated_at=created,
        )
        initiatives.append(initiative)
        audit.append(
            AuditRecord(
                created,
                actor,
                AuditEvent.INITIATIVE_ADDED,
                initiative,
                None,
                {"focus_area": area, "responsible": responsible},
            )
        )
        # Started in the plan's first spring; completed or delayed later on.
        changes = []
        if spec.status != S.PLANNED:
            changes.append((date(2022, 3, 1), S.PLANNED, S.IN_PROGRESS))
        if spec.status in (S.COMPLETED, S.DELAYED):
            changes.append((date(2023, 11, 15), S.IN_PROGRESS, spec.status))
        for day, before, after in changes:
            initiative.updated_at = _at(day, tz)
            audit.append(
                AuditRecord(
                    initiative.updated_at,
                    actor,
                    AuditEvent.INITIATIVE_STATUS_CHANGED,
                    initiative,
                    None,
                    {"from": before, "to": after},
                )
            )
        status, steps, key = spec.status, spec.milestones, spec.indicator
        for step_title, due in steps:
            milestone = make(Milestone, initiative=initiative, title=step_title, due_on=due)
            milestones.append(milestone)
            audit.append(
                AuditRecord(
                    created,
                    actor,
                    AuditEvent.MILESTONE_ADDED,
                    milestone,
                    None,
                    {"initiative": initiative, "due_on": due},
                )
            )
            late = status == choices.InitiativeStatus.DELAYED
            reached = due + timedelta(days=rng.randint(-20, 90 if late else 20))
            if reached <= history_end() and not (late and rng.random() < 0.5):
                milestone.reached_on = reached
                audit.append(
                    AuditRecord(
                        _at(reached, tz),
                        actor,
                        AuditEvent.MILESTONE_REACHED,
                        milestone,
                        None,
                        {"reached_on": reached, "due_on": due},
                    )
                )
        if key is None:
            continue
        name, unit, base_year, multiple = INDICATORS[key]
        values = yearly[key]
        baseline = Decimal(values[base_year]) if base_year else None
        target = (
            Decimal(round(values[base_year] * multiple))
            if base_year
            else Decimal(round(values[2022] * 1.2))
        )
        indicator = make(
            PlanIndicator,
            initiative=initiative,
            name=name,
            unit=unit,
            baseline=baseline,
            target=target,
        )
        indicators.append(indicator)
        audit.append(
            AuditRecord(
                created,
                actor,
                AuditEvent.PLAN_INDICATOR_ADDED,
                indicator,
                None,
                {"initiative": initiative, "target": target, "baseline": baseline},
            )
        )
        # Measured at the end of each of the plan's years that has ended by today.
        for year in range(2022, min(2025, history_end().year - 1) + 1):
            measured_on = date(year, 12, 31)
            value = Decimal(values[year])
            measurements.append(
                make(
                    IndicatorMeasurement,
                    indicator=indicator,
                    measured_on=measured_on,
                    value=value,
                    recorded_by=analyst,
                )
            )
            audit.append(
                AuditRecord(
                    _at(min(measured_on, history_end()), tz, 15),
                    analyst,
                    AuditEvent.INDICATOR_MEASURED,
                    measurements[-1],
                    None,
                    {"indicator": indicator, "measured_on": measured_on, "value": value},
                )
            )
    return PlanRows(plan, areas, initiatives, milestones, indicators, measurements, audit)


# --- the 5th national action plan (2019-21), as it ended ------------------------------------

PREVIOUS_PLAN_TITLE = "Handlingsplan til bekæmpelse af menneskehandel 2019-2021"
PREVIOUS_FOCUS_AREAS = (
    ("Identifikation af ofre", "Identification of victims"),
    ("Støtte og forberedt hjemsendelse", "Support and prepared return"),
    ("Forebyggelse og samarbejde", "Prevention and cooperation"),
)
# (area, title, responsible, status when the plan ended)
PREVIOUS_INITIATIVES = (
    (0, "Identifikationssamtaler ved Center mod Menneskehandel", ref.CENTRE, S.COMPLETED),
    (0, "Uddannelse af førstehåndsaktører i indikatorer", ref.CENTRE, S.COMPLETED),
    (1, "Forberedt hjemsendelse med reintegrationsstøtte", ref.CENTRE, S.COMPLETED),
    (1, "Forlænget refleksionsperiode ved forberedt hjemsendelse", ref.CENTRE, S.COMPLETED),
    (1, "Botilbud til mænd udsat for menneskehandel", "Kirkens Korshær", S.DELAYED),
    (2, "Informationsindsats i udvalgte oprindelseslande", ref.CENTRE, S.COMPLETED),
    (2, "Samarbejde med Skattestyrelsen om arbejdsmarkedskriminalitet", ref.TAX, S.IN_PROGRESS),
)


def previous_plan_rows(orgs: dict, users: dict, tz: ZoneInfo) -> PlanRows:
    """The 5th plan (2019-21) with its focus areas and initiatives as it ended.

    So that the reports of 2019-21 show the plan then in force. No milestones or
    indicators: the centre's records of them predate Brik.
    """
    actor = users["lead"]
    created = _at(date(2019, 1, 15), tz)
    plan = make(
        ActionPlan,
        number=5,
        title=PREVIOUS_PLAN_TITLE,
        starts_year=2019,
        ends_year=2021,
        budget_dkk=None,
        created_at=created,
        updated_at=created,
    )
    audit = [
        AuditRecord(
            created,
            actor,
            AuditEvent.ACTION_PLAN_CREATED,
            plan,
            None,
            {"number": 5, "starts_year": 2019, "ends_year": 2021},
        )
    ]
    areas = []
    for position, (title, title_en) in enumerate(PREVIOUS_FOCUS_AREAS, start=1):
        area = make(FocusArea, plan=plan, position=position, title=title, title_en=title_en)
        areas.append(area)
        audit.append(
            AuditRecord(
                created,
                actor,
                AuditEvent.FOCUS_AREA_ADDED,
                area,
                None,
                {"plan": plan, "title": title, "position": position},
            )
        )
    initiatives = []
    for index, title, responsible_name, status in PREVIOUS_INITIATIVES:
        area, responsible = areas[index], orgs[responsible_name]
        initiative = make(
            Initiative,
            focus_area=area,
            title=title,
            responsible=responsible,
            status=status,
            created_at=created,
            updated_at=_at(date(2021, 12, 15), tz) if status != S.PLANNED else created,
        )
        initiatives.append(initiative)
        audit.append(
            AuditRecord(
                created,
                actor,
                AuditEvent.INITIATIVE_ADDED,
                initiative,
                None,
                {"focus_area": area, "responsible": responsible},
            )
        )
        steps = [(date(2019, 3, 1), S.PLANNED, S.IN_PROGRESS)]
        if status in (S.COMPLETED, S.DELAYED):
            steps.append((date(2021, 12, 15), S.IN_PROGRESS, status))
        for day, before, after in steps:
            audit.append(
                AuditRecord(
                    _at(day, tz),
                    actor,
                    AuditEvent.INITIATIVE_STATUS_CHANGED,
                    initiative,
                    None,
                    {"from": before, "to": after},
                )
            )
    return PlanRows(plan, areas, initiatives, [], [], [], audit)
