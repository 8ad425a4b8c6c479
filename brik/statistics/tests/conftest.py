"""Histories of cases built through the case services, and counts taken from raw rows.

`History` opens, decides, supports and returns cases the way case workers do
(brik.cases.services), so statistics are tested on data that passed every rule.
`random_history` builds a varied one: people assessed twice (in different
years and in the same year), several forms, several citizenships, missing
years of birth, and a year with no decisions at all.
"""

import datetime as dt
import random
from collections import defaultdict

import pytest

from brik.cases import services as case_services
from brik.cases.models import Case, ExploitationForm, PersonCitizenship
from brik.core import choices
from brik.core.countries import EU_MEMBERS
from brik.testing.factories import OrganisationFactory

EMPTY_YEAR = 2020


@pytest.fixture(autouse=True)
def _kept_sql_checked(monkeypatch):
    """Every kept query of the statistics (brik.statistics.selectors.kept) is compiled
    again on each call and compared with its kept SQL: a selector whose key misses an
    input (a year, an argument, a setting) fails its tests instead of counting with
    another query's SQL."""
    from brik.statistics.selectors import kept

    monkeypatch.setattr(kept, "VERIFY", True)


@pytest.fixture
def counted_afresh(settings):
    """The report's counting queries run over everyone, not read from the kept counts
    (brik.statistics.selectors.stored): for tests of those queries themselves (their
    number, their SQL). test_kept_counts.py compares the two ways."""
    settings.BRIK_STATISTICS_KEPT_COUNTS = False


class History:
    def __init__(self, *, actor, referrers):
        self.actor = actor
        self.referrers = referrers
        self.serial = 0

    def decide(
        self,
        *,
        decided_on: dt.date,
        outcome: str = choices.Outcome.IDENTIFIED,
        gender: str = choices.Gender.WOMAN,
        birth_year: int | None = 1990,
        citizenships=("NG",),
        forms=(choices.ExploitationForm.SEXUAL,),
        authority: str = choices.DecidingAuthority.IMMIGRATION,
        sector: str = "",
        referrer=None,
        person=None,
        referred_days_before: int = 20,
        sexual_type: str = "",
        means_of_control=(),
        exploitation_countries=(),
        police_district=None,
        municipality: str = "",
    ) -> Case:
        """Refer a person (new, or known: their open case is closed first) and decide."""
        if person is not None:
            for open_case in person.cases.exclude(status=choices.CaseStatus.CLOSED):
                reason = (
                    choices.ClosingReason.NOT_IDENTIFIED
                    if open_case.outcome == choices.Outcome.NOT_IDENTIFIED
                    else choices.ClosingReason.OTHER
                )
                case_services.case_close(
                    actor=self.actor,
                    case=open_case,
                    closed_on=max(
                        open_case.decided_on or open_case.referred_on, open_case.referred_on
                    ),
                    reason=reason,
                    note="Synthetic: the person was referred again.",
                )
        earliest = [decided_on - dt.timedelta(days=referred_days_before)]
        if person is not None:
            earliest += [x.closed_on for x in person.cases.all() if x.closed_on]
        referred_on = max(earliest)
        case = case_services.case_refer(
            actor=self.actor,
            referring_organisation=referrer or self.referrers[0],
            referred_on=referred_on,
            person=person,
            gender=gender,
            birth_year=birth_year,
            citizenships=list(citizenships),
            police_district=police_district,
            municipality=municipality,
        )
        case_services.assessment_decide(
            actor=self.actor,
            case=case,
            decided_on=decided_on,
            deciding_authority=authority,
            outcome=outcome,
            forms=list(forms) if outcome == choices.Outcome.IDENTIFIED else [],
            labour_sector=sector,
            sexual_exploitation_type=sexual_type if outcome == choices.Outcome.IDENTIFIED else "",
            means_of_control=list(means_of_control),
            countries_of_exploitation=list(exploitation_countries),
        )
        return case

    def prepared_return(self, case: Case, *, departed_on: dt.date, country: str = "NG") -> None:
        offered = case.decided_on
        case_services.return_offer(actor=self.actor, case=case, offered_on=offered)
        case_services.return_accept(
            actor=self.actor,
            case=case,
            accepted_on=offered,
            destination_country=country,
            destination_kind=choices.DestinationKind.HOME,
        )
        case_services.return_depart(actor=self.actor, case=case, departed_on=departed_on)


@pytest.fixture
def referrers(police, ngo):
    municipality = OrganisationFactory(
        name="Aarhus Kommune", type=choices.OrganisationType.MUNICIPALITY
    )
    return [police, ngo, municipality]


@pytest.fixture
def history(alice, referrers):
    return History(actor=alice, referrers=referrers)


GENDERS = (
    [choices.Gender.WOMAN] * 5
    + [choices.Gender.MAN] * 4
    + [choices.Gender.TRANS_NONCONFORMING, choices.Gender.UNKNOWN]
)
COUNTRIES = ["NG", "TH", "RO", "VN", "MA", "DK", "SE", "UA"]
FORMS = list(choices.ExploitationForm.values)


MEANS = list(choices.MeansOfControl.values)
EXPLOITATION_COUNTRIES = ["DK", "DK", "DK", "NG", "TH", "DE", "ES", "IT", "PL"]


def _findings(rng: random.Random, forms, police: list) -> dict:
    """The findings issue 10's tables count (type of sexual exploitation, means of
    control, countries of exploitation, police district), drawn from their own random
    stream so that the rest of a seed's history stays as it was."""
    sexual = choices.ExploitationForm.SEXUAL in forms
    return {
        "sexual_type": rng.choice([*choices.SexualExploitationType.values, ""]) if sexual else "",
        "means_of_control": rng.sample(MEANS, rng.choice([0, 1, 1, 2, 3])),
        "exploitation_countries": rng.sample(EXPLOITATION_COUNTRIES, rng.choice([0, 1, 1, 2])),
        "police_district": rng.choice([None, *police]),
    }


def build_random_history(history: History, *, seed: int, persons: int) -> None:
    rng = random.Random(seed)
    more = random.Random(seed + 1_000_003)
    # Where the persons were met, from a stream of its own: municipalities written in
    # several ways, one abroad, most not recorded.
    places = random.Random(seed + 2_000_003)
    municipalities = ["", "", "", "Horsens", "aarhus kommune", "Bornholm", "Berlin"]
    police = [o for o in history.referrers if o.type == choices.OrganisationType.POLICE]
    years = [2018, 2019, 2021, 2022]  # EMPTY_YEAR has no decisions
    for _i in range(persons):
        year = rng.choice(years)
        forms = rng.sample(FORMS, rng.choice([1, 1, 1, 2, 3]))
        labour = any(f in forms for f in ("forced_labour", "criminal", "begging", "slavery_like"))
        kwargs = {
            "gender": rng.choice(GENDERS),
            "birth_year": None if rng.random() < 0.1 else rng.randint(year - 60, year - 5),
            "citizenships": rng.sample(COUNTRIES, rng.choice([0, 1, 1, 1, 2])),
            "forms": forms,
            "authority": rng.choice(choices.DecidingAuthority.values),
            "sector": rng.choice(["F", "A", "I", "T"]) if labour and rng.random() < 0.8 else "",
            "referrer": rng.choice(history.referrers),
            "outcome": choices.Outcome.IDENTIFIED
            if rng.random() < 0.7
            else choices.Outcome.NOT_IDENTIFIED,
        }
        decided = dt.date(year, rng.randint(1, 6), rng.randint(1, 28))
        case = history.decide(
            decided_on=decided,
            **kwargs,
            **_findings(more, forms, police),
            municipality=places.choice(municipalities),
        )
        if rng.random() < 0.25:
            # Assessed again: a later year, or later the same year.
            again = rng.choice([y for y in years if y >= year])
            later = max(dt.date(again, rng.randint(7, 12), rng.randint(1, 28)), decided)
            again_forms = rng.sample(FORMS, rng.choice([1, 2]))
            history.decide(
                decided_on=later,
                person=case.person,
                forms=again_forms,
                **_findings(more, again_forms, police),
                outcome=choices.Outcome.IDENTIFIED
                if rng.random() < 0.8
                else choices.Outcome.NOT_IDENTIFIED,
                authority=rng.choice(choices.DecidingAuthority.values),
                referrer=rng.choice(history.referrers),
            )


# --- counting in Python from the raw rows --------------------------------------------


class RawCounts:
    """Persons per (year, category), counted from raw rows with sets, not GROUP BY."""

    def __init__(self):
        self.cases = list(
            Case.objects.filter(decided_on__isnull=False).values(
                "id",
                "person_id",
                "decided_on",
                "outcome",
                "person__gender",
                "person__birth_year",
                "assessment__deciding_authority",
                "assessment__labour_sector",
                "referral__referring_organisation__type",
                "referral__referring_organisation__region",
                "referral__police_district__region",
                "referral__referred_on",
                "assessment__sexual_exploitation_type",
                "assessment__means_of_control",
                "assessment__countries_of_exploitation",
            )
        )
        self.forms = defaultdict(set)
        for row in ExploitationForm.objects.values("assessment__case_id", "form"):
            self.forms[row["assessment__case_id"]].add(row["form"])
        self.citizenships = defaultdict(set)
        for row in PersonCitizenship.objects.values("person_id", "country"):
            self.citizenships[row["person_id"]].add(row["country"])

    def identified(self):
        return [r for r in self.cases if r["outcome"] == choices.Outcome.IDENTIFIED]

    def count(self, categories_of, rows=None) -> dict[tuple[int, str], int]:
        """categories_of(row) -> iterable of categories the row's person counts under."""
        persons = defaultdict(set)
        for row in self.identified() if rows is None else rows:
            for category in categories_of(row):
                persons[(row["decided_on"].year, category)].add(row["person_id"])
        return {key: len(ids) for key, ids in persons.items()}

    def total(self, rows=None) -> dict[int, int]:
        persons = defaultdict(set)
        for row in self.identified() if rows is None else rows:
            persons[row["decided_on"].year].add(row["person_id"])
        return {year: len(ids) for year, ids in persons.items()}


def citizenship_rows(codes, listed) -> set[str]:
    """The citizenship table's rows a person with these citizenships is counted in,
    when the report lists `listed` (and Denmark) one by one."""
    if not codes:
        return {"unknown"}
    listed = {"DK", *listed}
    return {c if c in listed else "other_eu" if c in EU_MEMBERS else "other_non_eu" for c in codes}


def table_counts(table) -> dict[tuple[int, str], int]:
    """{(year, row key): value} for the non-zero cells of a years table."""
    return {
        (column.key, row.key): row.values[i]
        for row in table.rows
        for i, column in enumerate(table.columns)
        if row.values[i]
    }


def table_totals(table) -> dict[int, int]:
    return {
        column.key: table.total.values[i]
        for i, column in enumerate(table.columns)
        if table.total.values[i]
    }
