"""Reads for the case work pages: lists, My work, one case, possible duplicates.

Every selector here runs a fixed number of queries, whatever the number of
cases (select_related for one-to-one rows, prefetch_related for the
multi-valued ones, annotations instead of per-row queries); the tests pin
those numbers.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Case as SqlCase
from django.db.models import F, IntegerField, Max, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from brik.accounts import permissions
from brik.accounts.models import Organisation, User
from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.cases import rules, workflow
from brik.cases.models import (
    AssessmentForm,
    Case,
    FollowUp,
    Interview,
    PersonCitizenship,
    PersonIdentity,
    PreparedReturn,
    ReflectionExtension,
    SupportMeasure,
)
from brik.core import choices as c
from brik.core.countries import country_name, language_choices, language_name
from brik.core.decorators import CENTRE_STAFF
from brik.protection.crypto import blind_index


def related_or_none(obj, name: str):
    """A reverse one-to-one that may not exist (no assessment yet, no period yet)."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


# --- who sees which cases ----------------------------------------------------------


def cases_visible_to(user) -> QuerySet[Case]:
    """The cases this user may see at all: the access policy decides."""
    return permissions.cases_visible_to(user)


# --- the case list --------------------------------------------------------------------


def _filtered_cases(user, filters: dict) -> QuerySet[Case]:
    cases = cases_visible_to(user)
    if q := filters.get("q"):
        cases = cases.filter(person__code__icontains=q.strip())
    if status := filters.get("status"):
        cases = cases.filter(status=status)
    if filters.get("open") == "open":
        cases = cases.exclude(status=c.CaseStatus.CLOSED)
    elif filters.get("open") == "closed":
        cases = cases.filter(status=c.CaseStatus.CLOSED)
    if year := filters.get("referred_year"):
        cases = cases.filter(
            referred_on__gte=date(year, 1, 1), referred_on__lt=date(year + 1, 1, 1)
        )
    if year := filters.get("decided_year"):
        cases = cases.filter(decided_on__gte=date(year, 1, 1), decided_on__lt=date(year + 1, 1, 1))
    if authority := filters.get("authority"):
        cases = cases.filter(assessment__deciding_authority=authority)
    if form := filters.get("form"):
        cases = cases.filter(assessment__forms__form=form)
    if country := filters.get("citizenship"):
        cases = cases.filter(person__citizenships__country=country)
    if assigned := filters.get("assigned"):
        cases = (
            cases.filter(assigned_to__isnull=True)
            if assigned == "none"
            else cases.filter(assigned_to=assigned)
        )
    if organisation := filters.get("organisation"):
        cases = cases.filter(referral__referring_organisation=organisation)
    return cases


def case_list_page(
    *, user, filters: dict, order_by: tuple[str, ...], page: str | int | None, per_page: int = 50
) -> Page:
    """One page of cases with the statistical fields only: code, dates, status,
    authority, forms, citizenship, gender, year of birth, referrer, contact person.

    Two steps, so that it stays fast with 100,000 persons: the filtered, sorted
    ids of the page first (a narrow query), then those rows with what they show.
    Five queries whatever the number of cases.
    """
    ids = _filtered_cases(user, filters).order_by(*order_by).values_list("pk", flat=True)
    result = Paginator(ids, per_page).get_page(page)
    pks = list(result.object_list)
    rows = (
        Case.objects.filter(pk__in=pks)
        .select_related("person", "assigned_to", "assessment", "referral__referring_organisation")
        .prefetch_related(
            Prefetch(
                "person__citizenships", queryset=PersonCitizenship.objects.order_by("country")
            ),
            Prefetch("assessment__forms", queryset=AssessmentForm.objects.order_by("form")),
        )
        .in_bulk()
    )
    result.object_list = [rows[pk] for pk in pks]
    return result


def case_list_choices() -> tuple[list[User], list[Organisation]]:
    """Who can be filtered on: centre staff and the organisations that refer."""
    staff = list(
        User.objects.filter(role__in=CENTRE_STAFF, is_active=True).order_by(
            "first_name", "username"
        )
    )
    referrers = list(
        Organisation.objects.exclude(type=c.OrganisationType.REINTEGRATION).order_by("name")
    )
    return staff, referrers


def partner_referrals(*, user) -> QuerySet[Case]:
    """A partner's own organisation's referrals: status and outcome only."""
    return (
        cases_visible_to(user).select_related("person", "referral").order_by("-referred_on", "-id")
    )


# --- My work -------------------------------------------------------------------------


@dataclass
class Deadline:
    case: Case
    due: date
    days: int  # negative when passed
    note: str = ""
    item: object = None


@dataclass
class MyWork:
    today: date
    warning_days: int
    assigned_to_me: list[Case]
    unassigned: list[Case]
    reflection_deadlines: list[Deadline]
    interviews_overdue: list[Interview]
    interviews_today: list[Interview]
    interviews_this_week: list[Interview]
    follow_ups_due: list[Deadline]
    decisions_pending: list[Deadline]

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.assigned_to_me,
                self.unassigned,
                self.reflection_deadlines,
                self.interviews_overdue,
                self.interviews_today,
                self.interviews_this_week,
                self.follow_ups_due,
                self.decisions_pending,
            )
        )


MY_WORK_LIMIT = 200


def _team(user, prefix: str = "") -> Q:
    """Cases assigned to me, to a colleague in my organisation, or to nobody yet."""
    return (
        Q(**{f"{prefix}assigned_to": user})
        | Q(**{f"{prefix}assigned_to__organisation": user.organisation_id})
        | Q(**{f"{prefix}assigned_to__isnull": True})
    )


def _by_urgency(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Urgent referrals first, then the nearest departure deadline, then the oldest referral."""
    return cases.annotate(
        urgency_rank=SqlCase(
            When(referral__urgency=c.Urgency.URGENT, then=Value(0)),
            When(referral__urgency=c.Urgency.SOON, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by(
        "urgency_rank", F("reflection_period__ends_on").asc(nulls_last=True), "referred_on", "id"
    )


def _case_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("person", "assigned_to", "referral", "reflection_period")


def my_work(*, user, today: date | None = None) -> MyWork:
    today = today or timezone.localdate()
    warn = settings.BRIK_DEADLINE_WARNING_DAYS
    open_cases = Case.objects.exclude(status=c.CaseStatus.CLOSED)

    assigned_to_me = list(
        _case_rows(_by_urgency(open_cases.filter(assigned_to=user)))[:MY_WORK_LIMIT]
    )
    unassigned = list(
        _case_rows(_by_urgency(open_cases.filter(assigned_to__isnull=True)))[:MY_WORK_LIMIT]
    )

    team_cases = open_cases.filter(_team(user))
    reflection_deadlines = [
        Deadline(
            case=case,
            due=case.reflection_period.ends_on,
            days=(case.reflection_period.ends_on - today).days,
        )
        for case in _case_rows(
            team_cases.filter(
                status__in=c.CASE_IN_PERIOD,
                reflection_period__ends_on__lte=today + timedelta(days=warn),
            ).order_by("reflection_period__ends_on", "id")
        )[:MY_WORK_LIMIT]
    ]

    tz = timezone.get_current_timezone()
    start_of_today = datetime.combine(today, time.min, tzinfo=tz)
    end_of_today = start_of_today + timedelta(days=1)
    end_of_week = datetime.combine(today + timedelta(days=7 - today.weekday()), time.min, tzinfo=tz)
    interviews = list(
        Interview.objects.filter(
            _team(user, "case__"),
            status=c.InterviewStatus.PLANNED,
            planned_for__lt=end_of_week,
        )
        .exclude(case__status=c.CaseStatus.CLOSED)
        .select_related("case__person", "case__assigned_to")
        .order_by("planned_for", "id")[:MY_WORK_LIMIT]
    )

    follow_ups_due = []
    returns = (
        PreparedReturn.objects.filter(
            _team(user, "case__"),
            status=c.ReturnStatus.DEPARTED,
            case__status=c.CaseStatus.RETURNED,
        )
        .annotate(last_contact=Max("follow_ups__held_on"))
        .select_related("case__person", "case__assigned_to")
        .order_by("departed_on", "id")[:MY_WORK_LIMIT]
    )
    for prepared in returns:
        # Reintegration follow-up is monthly after departure, until follow_up_until.
        next_due = (prepared.last_contact or prepared.departed_on) + relativedelta(months=1)
        if prepared.follow_up_until and prepared.follow_up_until < today:
            follow_ups_due.append(
                Deadline(
                    case=prepared.case,
                    due=prepared.follow_up_until,
                    days=(prepared.follow_up_until - today).days,
                    note=str(_("Follow-up period over: close the case")),
                    item=prepared,
                )
            )
        elif next_due <= today + timedelta(days=warn) and next_due <= (
            prepared.follow_up_until or next_due
        ):
            follow_ups_due.append(
                Deadline(
                    case=prepared.case, due=next_due, days=(next_due - today).days, item=prepared
                )
            )
    follow_ups_due.sort(key=lambda d: d.due)

    pending_since = today - timedelta(days=settings.BRIK_DECISION_PENDING_DAYS)
    decisions_pending = [
        Deadline(case=case, due=case.referred_on, days=(today - case.referred_on).days)
        for case in _case_rows(
            team_cases.filter(
                status__in=c.CASE_BEFORE_DECISION, referred_on__lt=pending_since
            ).order_by("referred_on", "id")
        )[:MY_WORK_LIMIT]
    ]

    return MyWork(
        today=today,
        warning_days=warn,
        assigned_to_me=assigned_to_me,
        unassigned=unassigned,
        reflection_deadlines=reflection_deadlines,
        interviews_overdue=[i for i in interviews if i.planned_for < start_of_today],
        interviews_today=[i for i in interviews if start_of_today <= i.planned_for < end_of_today],
        interviews_this_week=[i for i in interviews if i.planned_for >= end_of_today],
        follow_ups_due=follow_ups_due,
        decisions_pending=decisions_pending,
    )


# --- one case -------------------------------------------------------------------------


def case_detail(*, user, pk: int) -> Case:
    """One case with everything its page shows, in a fixed number of queries."""
    return (
        cases_visible_to(user)
        .select_related(
            "person__identity",
            "assigned_to",
            "referral__referring_organisation",
            "referral__police_district",
            "referral__referred_by",
            "referral__joint_action",
            "assessment__decided_by",
            "reflection_period",
        )
        .prefetch_related(
            Prefetch(
                "person__citizenships", queryset=PersonCitizenship.objects.order_by("country")
            ),
            Prefetch("assessment__forms", queryset=AssessmentForm.objects.order_by("form")),
            Prefetch("interviews", queryset=Interview.objects.prefetch_related("interviewers")),
            Prefetch(
                "support_measures", queryset=SupportMeasure.objects.select_related("provider")
            ),
            Prefetch(
                "returns",
                queryset=PreparedReturn.objects.select_related(
                    "reintegration_partner"
                ).prefetch_related(
                    Prefetch("follow_ups", queryset=FollowUp.objects.select_related("recorded_by"))
                ),
            ),
            Prefetch(
                "reflection_period__extensions",
                queryset=ReflectionExtension.objects.select_related("extended_by"),
            ),
            Prefetch("person__cases", queryset=Case.objects.order_by("sequence")),
        )
        .get(pk=pk)
    )


@dataclass
class Countdown:
    kind: str
    starts_on: date
    ends_on: date
    days: int
    days_left: int
    elapsed: int
    latest_end: date
    running: bool = True  # False once the person has returned, stays or the case is closed
    extensions: list = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.running and self.days_left < 0

    @property
    def warning(self) -> bool:
        return self.running and 0 <= self.days_left <= settings.BRIK_DEADLINE_WARNING_DAYS

    @property
    def can_extend_days(self) -> int:
        return (self.latest_end - self.ends_on).days


def reflection_countdown(case: Case, today: date | None = None) -> Countdown | None:
    period = related_or_none(case, "reflection_period")
    if period is None:
        return None
    today = today or timezone.localdate()
    return Countdown(
        kind=period.get_kind_display(),
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        days=period.days,
        days_left=(period.ends_on - today).days,
        elapsed=max(0, min(period.days, (today - period.starts_on).days)),
        latest_end=rules.reflection_latest_end(period.starts_on),
        running=case.status in c.CASE_IN_PERIOD,
        extensions=list(period.extensions.all()),
    )


def live_return(case: Case) -> PreparedReturn | None:
    """The prepared return under way (not declined), from the prefetched rows."""
    return next((r for r in case.returns.all() if r.status != c.ReturnStatus.DECLINED), None)


def case_available_actions(case: Case, today: date | None = None, user: User | None = None):
    """The steps the case's state allows now (and `user` may take): brik.cases.workflow."""
    return workflow.available(case, user, today)


# --- the timeline --------------------------------------------------------------------

TIMELINE_LABELS = {
    AuditEvent.CASE_REFERRED: _("Referred"),
    AuditEvent.CASE_ASSIGNED: _("Contact person assigned"),
    AuditEvent.INTERVIEW_PLANNED: _("Interview planned"),
    AuditEvent.INTERVIEW_RECORDED: _("Interview held"),
    AuditEvent.INTERVIEW_CANCELLED: _("Interview cancelled"),
    AuditEvent.ASSESSMENT_DECIDED: _("Decision"),
    AuditEvent.REFLECTION_STARTED: _("Reflection period started"),
    AuditEvent.REFLECTION_EXTENDED: _("Reflection period extended"),
    AuditEvent.SUPPORT_ADDED: _("Support started"),
    AuditEvent.SUPPORT_ENDED: _("Support ended"),
    AuditEvent.RETURN_OFFERED: _("Prepared return offered"),
    AuditEvent.RETURN_ACCEPTED: _("Prepared return accepted"),
    AuditEvent.RETURN_DECLINED: _("Prepared return declined"),
    AuditEvent.RETURN_DEPARTED: _("Departed"),
    AuditEvent.FOLLOWUP_ADDED: _("Follow-up contact"),
    AuditEvent.CASE_STAYING: _("Stays in the country"),
    AuditEvent.CASE_CLOSED: _("Case closed"),
}

# Which key of the log entry's data holds the date the step happened.
_EVENT_DATE_KEYS = (
    "referred_on",
    "planned_for",
    "held_on",
    "decided_on",
    "starts_on",
    "offered_on",
    "accepted_on",
    "declined_on",
    "departed_on",
    "closed_on",
    "ends_on",
)


@dataclass
class TimelineEntry:
    action: str
    label: str
    when: date | datetime | None
    recorded_at: datetime
    actor: User | None
    organisation: Organisation | None
    details: list[tuple[str, str]]

    @property
    def kind(self) -> str:
        return self.action.split(".")[1]

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)


def _parse_when(value):
    if not isinstance(value, str):
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return timezone.localtime(datetime.fromisoformat(value))
    except ValueError:
        return None


def _fmt(value) -> str:
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    parsed = _parse_when(value)
    return _fmt(parsed) if parsed else str(value)


def _choice_label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _details(log: ActionLog, case: Case, objects: dict) -> list[tuple[str, str]]:
    data = log.data or {}
    obj = objects.get((log.object_type, log.object_id))
    action = log.action
    details: list[tuple[str, str]] = []
    if action == AuditEvent.CASE_REFERRED:
        referral = related_or_none(case, "referral")
        if referral is not None and data.get("referral") == referral.pk:
            details.append((str(_("Referring organisation")), referral.referring_organisation.name))
            details.append((str(_("Urgency")), referral.get_urgency_display()))
        if data.get("new_person") is False:
            details.append((str(_("Person")), str(_("Known from an earlier case"))))
    elif action == AuditEvent.CASE_ASSIGNED:
        staff = objects.get(("user", str(data.get("to"))))
        details.append(
            (str(_("Contact person")), (staff.get_full_name() or staff.username) if staff else "—")
        )
    elif (
        action in (AuditEvent.INTERVIEW_PLANNED, AuditEvent.INTERVIEW_RECORDED) and obj is not None
    ):
        if obj.place:
            details.append((str(_("Place")), obj.place))
        if obj.interpreter_language:
            details.append((str(_("Interpreter")), language_name(obj.interpreter_language)))
        if action == AuditEvent.INTERVIEW_RECORDED:
            if data.get("indicators"):
                details.append(
                    (
                        str(_("Indicators")),
                        ", ".join(_choice_label(c.Indicator, v) for v in data["indicators"]),
                    )
                )
            if data.get("dimensions"):
                details.append(
                    (
                        str(_("Dimensions")),
                        ", ".join(
                            _choice_label(c.IndicatorDimension, v) for v in data["dimensions"]
                        ),
                    )
                )
    elif action == AuditEvent.INTERVIEW_CANCELLED and data.get("reason"):
        details.append((str(_("Reason")), data["reason"]))
    elif action == AuditEvent.ASSESSMENT_DECIDED:
        details.append((str(_("Outcome")), _choice_label(c.Outcome, data.get("outcome"))))
        details.append(
            (
                str(_("Deciding authority")),
                _choice_label(c.DecidingAuthority, data.get("deciding_authority")),
            )
        )
        if data.get("forms"):
            details.append(
                (
                    str(_("Forms of exploitation")),
                    ", ".join(_choice_label(c.ExploitationForm, v) for v in data["forms"]),
                )
            )
    elif action == AuditEvent.REFLECTION_STARTED:
        details.append((str(_("Ends")), _fmt(data.get("ends_on"))))
    elif action == AuditEvent.REFLECTION_EXTENDED:
        details.append((str(_("From")), _fmt(data.get("from"))))
        details.append((str(_("To")), _fmt(data.get("to"))))
        details.append((str(_("Reason")), _choice_label(c.ExtensionReason, data.get("reason"))))
    elif action in (AuditEvent.SUPPORT_ADDED, AuditEvent.SUPPORT_ENDED) and obj is not None:
        details.append((str(_("Support")), obj.get_kind_display()))
        if obj.provider:
            details.append((str(_("Provider")), obj.provider.name))
    elif action == AuditEvent.RETURN_ACCEPTED:
        details.append((str(_("Destination")), country_name(data.get("destination_country", ""))))
    elif action == AuditEvent.RETURN_DEPARTED:
        details.append((str(_("Follow-up until")), _fmt(data.get("follow_up_until"))))
    elif action == AuditEvent.FOLLOWUP_ADDED:
        details.append((str(_("Status")), _choice_label(c.FollowUpStatus, data.get("status"))))
    elif action == AuditEvent.CASE_STAYING:
        details.append((str(_("Basis of stay")), _choice_label(c.StayBasis, data.get("basis"))))
        details.append((str(_("From")), _fmt(data.get("from"))))
    elif action == AuditEvent.CASE_CLOSED:
        details.append((str(_("Reason")), _choice_label(c.ClosingReason, data.get("reason"))))
    return details


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Every recorded step of the case, oldest first, with who recorded it and when.

    The audit log is the source of "who" and "when recorded"; the steps' own rows
    (already loaded by case_detail) fill in what the step was. One query.
    """
    logs = list(
        ActionLog.objects.filter(case=case, action__in=TIMELINE_LABELS)
        .select_related("actor", "organisation")
        .order_by("created_at", "id")
    )
    objects: dict = {}
    for interview in case.interviews.all():
        objects[("cases.interview", str(interview.pk))] = interview
    for measure in case.support_measures.all():
        objects[("cases.supportmeasure", str(measure.pk))] = measure
    assigned_ids = {
        log.data.get("to") for log in logs if log.action == AuditEvent.CASE_ASSIGNED
    } - {None}
    if assigned_ids:
        for user in User.objects.filter(pk__in=assigned_ids):
            objects[("user", str(user.pk))] = user
    entries = []
    for log in logs:
        data = log.data or {}
        when = next((_parse_when(data[k]) for k in _EVENT_DATE_KEYS if k in data), None)
        entries.append(
            TimelineEntry(
                action=log.action,
                label=str(TIMELINE_LABELS[log.action]),
                when=when,
                recorded_at=log.created_at,
                actor=log.actor,
                organisation=log.organisation,
                details=_details(log, case, objects),
            )
        )
    return entries


# --- possible duplicates ---------------------------------------------------------------


@dataclass
class PossibleMatch:
    person: object
    reasons: list[str]
    open_case: Case | None
    cases: list[Case]


def person_possible_matches(
    *,
    given_names: str,
    family_name: str,
    date_of_birth: date | None = None,
    birth_year: int | None = None,
    gender: str = c.Gender.UNKNOWN,
    citizenships: list[str] = (),
) -> list[PossibleMatch]:
    """Persons already known with the same name whose other details do not contradict.

    The name is compared through its blind index (names are encrypted), in both
    orders (given-family and family-given). Date of birth, year of birth, gender
    and citizenship must agree wherever both sides know them; each agreement is
    given as a reason so the person deciding can judge.
    """
    names = {
        blind_index(f"{given_names} {family_name}"),
        blind_index(f"{family_name} {given_names}"),
    } - {""}
    if not names:
        return []
    identities = (
        PersonIdentity.objects.filter(name_index__in=names)
        .select_related("person")
        .prefetch_related(
            "person__citizenships",
            Prefetch("person__cases", queryset=Case.objects.order_by("sequence")),
        )
    )
    matches = []
    for identity in identities:
        person = identity.person
        reasons = [str(_("same name"))]
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
        if gender != c.Gender.UNKNOWN and person.gender != c.Gender.UNKNOWN:
            if person.gender != gender:
                continue
            reasons.append(str(_("same gender")))
        known = {p.country for p in person.citizenships.all()}
        if citizenships and known:
            if not known & set(citizenships):
                continue
            reasons.append(str(_("same citizenship")))
        cases = list(person.cases.all())
        open_case = next((k for k in cases if k.status != c.CaseStatus.CLOSED), None)
        matches.append(
            PossibleMatch(person=person, reasons=reasons, open_case=open_case, cases=cases)
        )
    return matches


# --- languages (for the searchable language box) ---------------------------------------


@cache
def _languages(interface_language: str) -> list[tuple[str, str]]:
    return language_choices()


def language_search(*, query: str, limit: int = 20) -> list[dict]:
    """Languages whose name (in the interface language) starts with or contains `query`."""
    query = query.strip().casefold()
    if not query:
        return []
    starts, contains = [], []
    for code, name in _languages(get_language() or "en"):
        folded = name.casefold()
        if folded.startswith(query) or code == query:
            starts.append({"value": code, "text": name})
        elif query in folded:
            contains.append({"value": code, "text": name})
        if len(starts) >= limit:
            break
    return (starts + contains)[:limit]
