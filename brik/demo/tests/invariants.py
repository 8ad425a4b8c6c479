"""What brik.cases.services guarantees for every case, checked on the rows of a demo.

Each function returns a list of problems (empty when all is well), so a test
can show every violation at once. They read the database only.
"""

import itertools
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from brik.accounts.models import User
from brik.audit.models import ActionLog
from brik.cases import rules, sort_keys
from brik.cases.models import (
    Assessment,
    Case,
    ExploitationForm,
    FollowUp,
    Interview,
    Person,
    PersonCitizenship,
    PreparedReturn,
    Referral,
    ReflectionExtension,
    ReflectionPeriod,
    SupportMeasure,
)
from brik.core import choices as c
from brik.core.countries import EU_MEMBERS
from brik.demo.calibration import history_end

PRE_DECISION = {c.CaseStatus.REFERRED, c.CaseStatus.INTERVIEW_PLANNED, c.CaseStatus.INTERVIEWED}


def _by_case(queryset, key="case_id"):
    grouped = defaultdict(list)
    for row in queryset:
        grouped[getattr(row, key)].append(row)
    return grouped


def _cases():
    return list(Case.objects.order_by("id"))


def status_matches_steps() -> list[str]:
    """The status and milestone dates are what the services would have set from the steps."""
    problems = []
    interviews = _by_case(Interview.objects.all())
    assessments = {a.case_id: a for a in Assessment.objects.all()}
    periods = {p.case_id: p for p in ReflectionPeriod.objects.all()}
    supports = _by_case(SupportMeasure.objects.all())
    returns = _by_case(PreparedReturn.objects.all())
    forms = _by_case(ExploitationForm.objects.all(), "assessment_id")
    for case in _cases():
        code = f"{case.pk}:{case.status}"
        held = [i for i in interviews[case.pk] if i.status == c.InterviewStatus.HELD]
        planned = [i for i in interviews[case.pk] if i.status == c.InterviewStatus.PLANNED]
        assessment = assessments.get(case.pk)
        departed = [r for r in returns[case.pk] if r.status == c.ReturnStatus.DEPARTED]
        closed = case.status == c.CaseStatus.CLOSED
        if closed != (case.closed_on is not None) or closed != bool(case.closing_reason):
            problems.append(f"{code} closing fields")
        if assessment is None:
            if (
                case.decided_on
                or case.outcome
                or case.status not in PRE_DECISION | {c.CaseStatus.CLOSED}
            ):
                problems.append(f"{code} milestones without an assessment")
        else:
            if (case.decided_on, case.outcome) != (assessment.decided_on, assessment.outcome):
                problems.append(f"{code} decision milestones differ from the assessment")
            if case.status in PRE_DECISION:
                problems.append(f"{code} decided but in a pre-decision status")
            if planned:
                problems.append(f"{code} interview still planned after the decision")
            if held and max(i.held_on for i in held) > assessment.decided_on:
                problems.append(f"{code} interview after the decision")
            has_forms = bool(forms[assessment.pk])
            if (assessment.outcome == c.Outcome.IDENTIFIED) != has_forms:
                problems.append(f"{code} forms of exploitation do not fit the outcome")
        if case.status == c.CaseStatus.REFERRED and (planned or held):
            problems.append(f"{code} has interviews")
        if case.status == c.CaseStatus.INTERVIEW_PLANNED and not planned:
            problems.append(f"{code} has no planned interview")
        if case.status == c.CaseStatus.INTERVIEWED and (planned or not held):
            problems.append(f"{code} interviews do not fit")
        identified_statuses = {
            c.CaseStatus.IDENTIFIED,
            c.CaseStatus.IN_SUPPORT,
            c.CaseStatus.RETURNED,
            c.CaseStatus.STAYING,
        }
        if case.status in identified_statuses and case.outcome != c.Outcome.IDENTIFIED:
            problems.append(f"{code} status needs an identification")
        if case.status == c.CaseStatus.NOT_IDENTIFIED and case.outcome != c.Outcome.NOT_IDENTIFIED:
            problems.append(f"{code} status needs a negative decision")
        after_decision = [
            s for s in supports[case.pk] if case.decided_on and s.starts_on >= case.decided_on
        ]
        if case.status == c.CaseStatus.IDENTIFIED and (case.pk in periods or after_decision):
            problems.append(f"{code} would be in support")
        if case.status == c.CaseStatus.IN_SUPPORT and not (case.pk in periods or supports[case.pk]):
            problems.append(f"{code} in support without support")
        if (case.status == c.CaseStatus.RETURNED) != (bool(departed) and not closed):
            problems.append(f"{code} returned status and departure differ")
        if case.status == c.CaseStatus.STAYING and not (case.stay_basis and case.stay_from):
            problems.append(f"{code} staying without a basis")
        if bool(case.stay_basis) != bool(case.stay_from):
            problems.append(f"{code} stay fields")
        reason = case.closing_reason
        if reason == c.ClosingReason.RETURN_COMPLETED and not departed:
            problems.append(f"{code} return completed without departure")
        if reason == c.ClosingReason.STAYING and not case.stay_basis:
            problems.append(f"{code} closed as staying without a basis")
        if (reason == c.ClosingReason.NOT_IDENTIFIED) != (
            closed and case.outcome == c.Outcome.NOT_IDENTIFIED
        ):
            problems.append(f"{code} not-identified closing")
    return problems


def dates_in_order() -> list[str]:
    """No step before the one it follows; nothing done after the end of the history."""
    problems = []
    referrals = {r.case_id: r for r in Referral.objects.all()}
    interviews = _by_case(Interview.objects.all())
    returns = _by_case(PreparedReturn.objects.all())
    follow_ups = _by_case(FollowUp.objects.select_related("prepared_return"), "prepared_return_id")
    supports = _by_case(SupportMeasure.objects.all())
    for case in _cases():
        code = f"{case.pk}"
        referral = referrals.get(case.pk)
        if referral is None or referral.referred_on != case.referred_on:
            problems.append(f"{code} referral date")
        steps = [case.referred_on, case.decided_on, case.stay_from]
        for interview in interviews[case.pk]:
            if interview.held_on:
                if interview.held_on < case.referred_on:
                    problems.append(f"{code} interview before referral")
                steps.append(interview.held_on)
            if interview.planned_for and interview.planned_for.date() < case.referred_on:
                problems.append(f"{code} interview planned before referral")
        for prepared in returns[case.pk]:
            if prepared.offered_on < case.decided_on:
                problems.append(f"{code} return offered before the decision")
            steps += [prepared.offered_on, prepared.accepted_on, prepared.declined_on]
            steps.append(prepared.departed_on)
            steps += [f.held_on for f in follow_ups[prepared.pk]]
        for measure in supports[case.pk]:
            if measure.starts_on < case.referred_on:
                problems.append(f"{code} support before referral")
            if case.closed_on and (measure.ends_on is None or measure.ends_on > case.closed_on):
                problems.append(f"{code} support runs past the closing")
        done = [d for d in steps if d is not None]
        if max(done) > history_end():
            problems.append(f"{code} a step after the end of the history")
        if case.closed_on and case.closed_on < max(done):
            problems.append(f"{code} closed before its last step")
        if case.stay_from and case.stay_from < case.decided_on:
            problems.append(f"{code} stay before decision")
    return problems


def deciding_authority_fits_residence() -> list[str]:
    """The immigration service decides without legal residence, the centre with it."""
    problems = []
    citizenships = defaultdict(set)
    for person_id, country in PersonCitizenship.objects.values_list("person_id", "country"):
        citizenships[person_id].add(country)
    for a in Assessment.objects.select_related("case"):
        expected = (
            c.DecidingAuthority.CENTRE
            if a.case.has_legal_residence
            else c.DecidingAuthority.IMMIGRATION
        )
        if a.deciding_authority != expected:
            problems.append(f"{a.case_id} decided by {a.deciding_authority}")
        if (
            citizenships[a.case.person_id] & (EU_MEMBERS | {"DK"})
            and not a.case.has_legal_residence
        ):
            problems.append(f"{a.case_id} EU or Danish citizen without legal residence")
    return problems


def reflection_periods_within_the_law() -> list[str]:
    """30 days, extended step by step to at most 120; only for identified persons."""
    problems = []
    extensions = _by_case(ReflectionExtension.objects.order_by("extended_on", "id"), "period_id")
    for period in ReflectionPeriod.objects.select_related("case"):
        case, code = period.case, f"{period.case_id}"
        if case.outcome != c.Outcome.IDENTIFIED or period.starts_on < case.decided_on:
            problems.append(f"{code} period without identification")
        if period.starts_on > history_end():
            problems.append(f"{code} period starts in the future")
        kind = c.PeriodKind.RESTITUTION if case.has_legal_residence else c.PeriodKind.REFLECTION
        if period.kind != kind:
            problems.append(f"{code} period kind")
        if period.days != (period.ends_on - period.starts_on).days:
            problems.append(f"{code} days do not match the dates")
        if not rules.REFLECTION_INITIAL_DAYS <= period.days <= rules.REFLECTION_MAX_DAYS:
            problems.append(f"{code} {period.days} days")
        end = rules.reflection_initial_end(period.starts_on)
        for extension in extensions[period.pk]:
            if extension.previous_ends_on != end or extension.new_ends_on <= end:
                problems.append(f"{code} extension chain broken")
            if not period.starts_on <= extension.extended_on <= extension.previous_ends_on:
                problems.append(f"{code} extension decided outside the period")
            if extension.extended_on > history_end():
                problems.append(f"{code} extension in the future")
            end = extension.new_ends_on
        if end != period.ends_on:
            problems.append(f"{code} period end differs from its last extension")
    return problems


def prepared_returns_consistent() -> list[str]:
    problems = []
    follow_ups = _by_case(FollowUp.objects.all(), "prepared_return_id")
    live = defaultdict(int)
    for r in PreparedReturn.objects.select_related("case", "reintegration_partner"):
        code = f"{r.case_id}:{r.status}"
        if r.status != c.ReturnStatus.DECLINED:
            live[r.case_id] += 1
        if r.case.outcome != c.Outcome.IDENTIFIED:
            problems.append(f"{code} return without identification")
        accepted = r.status in (c.ReturnStatus.ACCEPTED, c.ReturnStatus.DEPARTED)
        if accepted != (r.accepted_on is not None) or accepted != bool(r.destination_country):
            problems.append(f"{code} acceptance fields")
        if (r.status == c.ReturnStatus.DECLINED) != (r.declined_on is not None):
            problems.append(f"{code} declined fields")
        if (r.status == c.ReturnStatus.DEPARTED) != (r.departed_on is not None):
            problems.append(f"{code} departure fields")
        if r.departed_on and r.follow_up_until != r.departed_on + relativedelta(months=6):
            problems.append(f"{code} follow-up is not six months")
        if r.reintegration_partner and r.reintegration_partner.country != r.destination_country:
            problems.append(f"{code} partner in another country")
        for f in follow_ups[r.pk]:
            if r.departed_on is None or not r.departed_on <= f.held_on <= r.follow_up_until:
                problems.append(f"{code} follow-up outside the follow-up period")
    problems += [f"{case} has {n} live returns" for case, n in live.items() if n > 1]
    return problems


def persons_and_passages() -> list[str]:
    """Codes, identities, and passages that follow each other without overlapping."""
    problems = []
    cases = defaultdict(list)
    for case in Case.objects.order_by("sequence"):
        cases[case.person_id].append(case)
    for person in Person.objects.select_related("identity"):
        passages = cases[person.pk]
        if [p.sequence for p in passages] != list(range(1, len(passages) + 1)):
            problems.append(f"{person.code} sequences")
            continue
        year = passages[0].referred_on.year
        prefix, number = person.code.rsplit("-", 1)
        if prefix != f"BRK-{year}" or not number.isdigit() or len(number) < 4:
            problems.append(f"{person.code} code does not fit the first referral ({year})")
        if sum(p.status != c.CaseStatus.CLOSED for p in passages) > 1:
            problems.append(f"{person.code} two open cases")
        for earlier, later in itertools.pairwise(passages):
            if earlier.closed_on is None or later.referred_on < earlier.closed_on:
                problems.append(f"{person.code} passages overlap")
        if person.identity.date_of_birth.year != person.birth_year:
            problems.append(f"{person.code} birth year")
        if not person.identity.given_names or not person.identity.family_name:
            problems.append(f"{person.code} has no name")
    return problems


def contact_persons_are_centre_staff() -> list[str]:
    staff = set(
        User.objects.filter(role__in=[c.Role.CASEWORKER, c.Role.LEAD]).values_list("pk", flat=True)
    )
    # A new referral nobody has taken yet has no contact person.
    return [
        f"{case.pk}"
        for case in _cases()
        if case.assigned_to_id not in staff
        and not (case.assigned_to_id is None and case.status == c.CaseStatus.REFERRED)
    ]


def audit_trail_complete() -> list[str]:
    """One action-log entry per step, as the services write them."""
    problems = []
    entries = defaultdict(lambda: defaultdict(int))
    for case_id, action in ActionLog.objects.filter(case__isnull=False).values_list(
        "case_id", "action"
    ):
        entries[case_id][action] += 1
    interviews = defaultdict(int)
    for case_id in Interview.objects.filter(status=c.InterviewStatus.HELD).values_list(
        "case_id", flat=True
    ):
        interviews[case_id] += 1
    for case in _cases():
        logged = entries[case.pk]
        if logged["brik.case.referred"] != 1:
            problems.append(f"{case.pk} referral entries")
        if logged["brik.assessment.decided"] != (1 if case.decided_on else 0):
            problems.append(f"{case.pk} decision entries")
        if logged["brik.case.closed"] != (1 if case.closed_on else 0):
            problems.append(f"{case.pk} closing entries")
        if logged["brik.interview.recorded"] != interviews[case.pk]:
            problems.append(f"{case.pk} interview entries")
    # The demo logins and organisations are made today, through brik.accounts.services.
    history = ActionLog.objects.exclude(action__startswith="brik.user.").exclude(
        action__startswith="brik.organisation."
    )
    latest = history.order_by("-created_at").values_list("created_at", flat=True)[0]
    if latest.date() > history_end():
        problems.append(f"an entry dated {latest}")
    return problems


def sort_keys_match_their_sources() -> list[str]:
    """My work's stored sort keys (brik.cases.sort_keys) equal those computed from their
    sources: the demo writes them in bulk, as the services keep them."""
    problems = []
    for kind, pk, stored, computed, *period in sort_keys.stale_keys():
        if kind == "case":
            problems.append(
                f"case {pk}: urgency rank {stored} for {computed}, "
                f"period end {period[0]} for {period[1]}"
            )
        elif kind == "case return":
            problems.append(
                f"case {pk}: last contact after the return {stored} for {computed}, "
                f"follow-up until {period[0]} for {period[1]}"
            )
        elif kind == "interview":
            problems.append(f"interview {pk}: contact person {stored} for {computed}")
        else:
            problems.append(f"return {pk}: last contact {stored} for {computed}")
    return problems


def no_planned_interview_in_a_closed_case() -> list[str]:
    """Closing cancels a case's planned interviews (case_close): My work lists the
    planned interviews without looking at their case's status."""
    planned = Interview.objects.filter(
        status=c.InterviewStatus.PLANNED, case__status=c.CaseStatus.CLOSED
    ).values_list("pk", "case_id")
    return [f"interview {pk} planned in the closed case {case}" for pk, case in planned]


ALL = (
    status_matches_steps,
    dates_in_order,
    deciding_authority_fits_residence,
    reflection_periods_within_the_law,
    prepared_returns_consistent,
    persons_and_passages,
    contact_persons_are_centre_staff,
    audit_trail_complete,
    sort_keys_match_their_sources,
    no_planned_interview_in_a_closed_case,
)


def all_problems() -> list[str]:
    return [f"{check.__name__}: {p}" for check in ALL for p in check()]
