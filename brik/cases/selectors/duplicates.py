"""Possible duplicates: persons already known with the same name whose other
details do not contradict."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from brik.accounts.models import User
from brik.cases.models import (
    Case,
    Person,
    PersonCitizenship,
    PersonIdentity,
)
from brik.cases.selectors.common import cases_visible_to
from brik.core import choices
from brik.protection.crypto import blind_index
from brik.search.selectors import identities_named_like


@dataclass
class PossibleMatch:
    person: Person
    reasons: list[str]
    open_case: Case | None
    cases: list[Case]


def person_possible_matches(
    *,
    given_names: str,
    family_name: str,
    date_of_birth: date | None = None,
    birth_year: int | None = None,
    gender: str = choices.Gender.UNKNOWN,
    citizenships: Sequence[str] = (),
) -> list[PossibleMatch]:
    """Persons already known with the same name whose other details do not contradict.

    The name is compared through its blind index (names are encrypted), in both
    orders (given-family and family-given), and through the search tokens
    (brik.search: every word of the name in a name or alias, however spelt or
    transliterated). Date of birth, year of birth, gender and citizenship must
    agree wherever both sides know them; each agreement is given as a reason
    so the person deciding can judge.
    """
    names = {
        blind_index(f"{given_names} {family_name}"),
        blind_index(f"{family_name} {given_names}"),
    } - {""}
    if not names:
        return []
    # Each candidate's identity is read (and its encrypted fields decrypted) once: the
    # similar names as identities_named_like matched them, the same names (by their
    # blind index) that it did not find in one more query of what the comparison reads.
    similar = identities_named_like(given_names=given_names, family_name=family_name)
    same_name = (
        PersonIdentity.objects.filter(name_index__in=names)
        .exclude(person_id__in=list(similar))
        .select_related("person")
        .only("person", "name_index", "date_of_birth")
    )
    # The same names first (by name index, then person), then the similar ones by
    # person: the order the one query over both gave before (SQLite's index order).
    identities = sorted(
        [identity for _similarity, identity in similar.values()] + list(same_name),
        key=lambda identity: (
            identity.name_index not in names,
            identity.name_index if identity.name_index in names else "",
            identity.person_id,
        ),
    )
    prefetch_related_objects(
        [identity.person for identity in identities],
        "citizenships",
        Prefetch(
            "cases",
            queryset=Case.objects.only("id", "person_id", "sequence", "status").order_by(
                "sequence"
            ),
        ),
    )
    matches: list[PossibleMatch] = []
    for identity in identities:
        person = identity.person
        reasons = [str(_("same name") if identity.name_index in names else _("similar name"))]
        if date_of_birth and identity.date_of_birth:
            if identity.date_of_birth != date_of_birth:
                continue
            reasons.append(str(_("same date of birth")))
        year = birth_year or (date_of_birth.year if date_of_birth else None)
        if year and person.birth_year:
            if person.birth_year != year:
                continue
            if not (date_of_birth and identity.date_of_birth):
                reasons.append(str(_("same year of birth")))
        if gender != choices.Gender.UNKNOWN and person.gender != choices.Gender.UNKNOWN:
            if person.gender != gender:
                continue
            reasons.append(str(_("same gender")))
        known = {p.country for p in person.citizenships.all()}
        if citizenships and known:
            if not known & set(citizenships):
                continue
            reasons.append(str(_("same citizenship")))
        cases = list(person.cases.all())
        open_case = next((k for k in cases if k.status != choices.CaseStatus.CLOSED), None)
        matches.append(
            PossibleMatch(person=person, reasons=reasons, open_case=open_case, cases=cases)
        )
    return matches


def duplicate_check_applies(case: Case) -> bool:
    """Whether the case page checks for earlier records of the person: only before
    the decision (a referral, perhaps of someone already known)."""
    return case.status in choices.CASE_BEFORE_DECISION


def case_for_duplicate_check(*, user: User, pk: int) -> Case:
    """The case (if `user` may see it) with what likely_existing_persons reads: its
    person and the person's citizenships, and nothing else of the case page."""
    return (
        cases_visible_to(user)
        .select_related("person")
        .prefetch_related(
            Prefetch("person__citizenships", queryset=PersonCitizenship.objects.order_by("country"))
        )
        .get(pk=pk)
    )


def likely_existing_persons(case: Case) -> list[PossibleMatch]:
    """Other persons this case's person is likely to be (the same matching as the
    referral form's): shown to the centre's staff on a new referral, so that a
    partner's referral of someone already known is noticed. Never to partners."""
    if not duplicate_check_applies(case):
        return []
    identity = (
        PersonIdentity.objects.filter(person_id=case.person_id)
        .only("person", "given_names", "family_name", "date_of_birth")
        .first()
    )
    if identity is None or not (identity.given_names or identity.family_name):
        return []
    person = case.person
    matches = person_possible_matches(
        given_names=identity.given_names,
        family_name=identity.family_name,
        date_of_birth=identity.date_of_birth,
        birth_year=person.birth_year,
        gender=person.gender,
        citizenships=[c.country for c in person.citizenships.all()],
    )
    return [m for m in matches if m.person.pk != person.pk]
