"""One case with everything its page shows, its reflection countdown, the steps it
allows now (brik.cases.workflow) and the audit rows of its timeline."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import (
    Exists,
    Model,
    OuterRef,
    Prefetch,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone

from brik.accounts import permissions
from brik.accounts.models import User
from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.cases import rules, workflow
from brik.cases.models import (
    Amendment,
    Case,
    ExploitationForm,
    FollowUp,
    Interview,
    PersonCitizenship,
    PreparedReturn,
    ReflectionExtension,
    Reopening,
    SupportMeasure,
)
from brik.cases.selectors.common import cases_visible_to, related_or_none
from brik.cases.workflow import Action
from brik.core import choices
from brik.core.kept import kept_get, kept_list


def _support_measures() -> QuerySet[SupportMeasure]:
    return SupportMeasure.objects.select_related("provider")


def _returns() -> QuerySet[PreparedReturn]:
    return PreparedReturn.objects.select_related("reintegration_partner")


def _optional_lists() -> dict[str, Prefetch]:
    """The case's lists that a case often does not have yet (a new referral has none):
    the main query says which exist, and only those are prefetched."""
    return {
        "interviews": Prefetch("interviews"),
        "support_measures": Prefetch("support_measures", queryset=_support_measures()),
        "returns": Prefetch("returns", queryset=_returns().prefetch_related("follow_ups")),
    }


# _optional_lists as kept queries (brik.core.kept), each filtered to its owner's key.
_KEPT_OPTIONAL_LISTS: dict[str, tuple[type[Model], Callable[[int], QuerySet]]] = {
    "interviews": (Interview, lambda pk: Interview.objects.filter(case_id=pk)),
    "support_measures": (SupportMeasure, lambda pk: _support_measures().filter(case_id=pk)),
    "returns": (PreparedReturn, lambda pk: _returns().filter(case_id=pk)),
}


def _kept_optional_lists(name: str, case: Any) -> None:
    """_optional_lists read by kept queries, those the case has (the others known
    empty): the same rows in the same order as the prefetches, a return's follow-ups
    with it (a case has one return, rarely two)."""
    for relation, (model, make) in _KEPT_OPTIONAL_LISTS.items():
        if not getattr(case, f"has_{relation}"):
            _known_empty(case, relation)
            continue
        rows = kept_list(f"{name}: {relation}", model, make, case.pk)
        _known_empty(case, relation, rows)
        if relation == "returns":
            for prepared in rows:
                follow_ups = kept_list(
                    f"{name}: follow_ups",
                    FollowUp,
                    lambda pk: FollowUp.objects.filter(prepared_return_id=pk),
                    prepared.pk,
                )
                _known_empty(prepared, "follow_ups", follow_ups)


def _known_empty(instance: Model, name: str, rows_known: Sequence[Model] | None = None) -> None:
    """Give `instance.<name>.all()` no rows (or `rows_known`) without a query, as a
    prefetch that found them would (Django's prefetch_one_level stores its rows the
    same way, and each row's link back to `instance`)."""
    manager = getattr(instance, name)
    rows = manager.get_queryset()
    rows._result_cache = list(rows_known or [])
    rows._prefetch_done = True
    for row in rows._result_cache:
        manager.field.set_cached_value(row, instance)
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[manager.field.remote_field.cache_name] = rows


# The case's lists that case_detail always reads (where the row they hang on exists).
def _citizenships() -> QuerySet[PersonCitizenship]:
    return PersonCitizenship.objects.order_by("country")


def _forms() -> QuerySet[ExploitationForm]:
    return ExploitationForm.objects.order_by("form")


def _other_cases() -> QuerySet[Case]:
    # Other cases of the person: the page links them by their code.
    return Case.objects.only("id", "person_id", "sequence").order_by("sequence")


def _kept_lists(name: str, case: Any) -> None:
    """case_detail's prefetches of the lists above, each a query whose SQL is kept
    (brik.core.kept): the same rows in the same order as the prefetches."""
    person = case.person
    lists: list[tuple[Model, str, type[Model], Callable[[int], QuerySet]]] = [
        (person, "citizenships", PersonCitizenship, lambda pk: _citizenships().filter(person_id=pk))
    ]
    if case.has_other_cases:
        lists.append((person, "cases", Case, lambda pk: _other_cases().filter(person_id=pk)))
    assessment = related_or_none(case, "assessment")
    if assessment is not None:
        lists.append(
            (assessment, "forms", ExploitationForm, lambda pk: _forms().filter(assessment_id=pk))
        )
    period = related_or_none(case, "reflection_period")
    if period is not None:
        lists.append(
            (
                period,
                "extensions",
                ReflectionExtension,
                lambda pk: ReflectionExtension.objects.filter(period_id=pk),
            )
        )
    for owner, relation, model, make in lists:
        _known_empty(owner, relation, kept_list(f"{name}: {relation}", model, make, owner.pk))


# What the case page reads of the case and the rows joined to it: the columns it never
# shows are not loaded (encrypted ones are not decrypted). A deferred column that is read
# after all costs a query of its own, which the page's query-count test would notice.
_NOT_ON_THE_PAGE = (
    "closing_note",
    "person__identity__phone",
    "person__identity__email",
    "person__identity__address",
    "person__identity__identity_documents",
    "person__identity__name_index",
    "assigned_to__password",
    "assigned_to__last_login",
    "assigned_to__email",
    "assigned_to__date_joined",
    "referral__partner_reference",
    "referral__indicators",
    "referral__referring_organisation__created_at",
    "referral__referring_organisation__updated_at",
    "referral__police_district__created_at",
    "referral__police_district__updated_at",
    "referral__joint_action__created_at",
    "referral__joint_action__updated_at",
    "referral__joint_action__persons_met",
    "referral__joint_action__persons_referred",
    "referral__joint_action__outcome_notes",
    "assessment__means_of_control",
    "assessment__exploitation_from",
    "assessment__exploitation_to",
    "assessment__notes",
)


def case_page_detail(*, user: User, pk: int) -> Case:
    """case_detail for the case page: without the columns the page does not show, and
    saying whether the case has notes and attachments (`has_notes`, `has_attachments`:
    the case files' section asks for them only then; brik.casefiles.page). Through the
    reverse relations, as brik.cases does not import brik.casefiles (the layers)."""
    return case_detail(
        user=user,
        pk=pk,
        kept_as="case page",
        defer=_NOT_ON_THE_PAGE,
        has={
            "has_notes": Exists(Case.objects.filter(pk=OuterRef("pk"), notes__isnull=False)),
            "has_attachments": Exists(
                Case.objects.filter(pk=OuterRef("pk"), attachments__isnull=False)
            ),
        },
    )


def case_detail(
    *,
    user: User,
    pk: int,
    defer: tuple[str, ...] = (),
    has: dict[str, Exists] | None = None,
    kept_as: str | None = None,
) -> Case:
    """One case with everything its page (and the API's case) shows, in a fixed
    number of queries (at most: a list the case does not have is not asked for).
    Who recorded a step is not read here: the timeline takes it from the action log.
    `kept_as`: the case's query is compiled once under this name (brik.core.kept) for
    readers who see every case (the same query for all of them), and the lists read
    with it for every reader; callers that pass it pass the same `defer` and `has`
    every time."""

    def query(pk: int) -> QuerySet[Case]:
        return (
            cases_visible_to(user)
            .defer(*defer)
            .select_related(
                "person__identity",
                "assigned_to",
                "referral__referring_organisation",
                "referral__police_district",
                "referral__joint_action",
                "assessment",
                "reflection_period",
            )
            .annotate(
                has_interviews=Exists(Interview.objects.filter(case=OuterRef("pk"))),
                has_support_measures=Exists(SupportMeasure.objects.filter(case=OuterRef("pk"))),
                has_returns=Exists(PreparedReturn.objects.filter(case=OuterRef("pk"))),
                # Most persons have one case: their other cases are asked for only if any.
                has_other_cases=Exists(
                    Case.objects.filter(person=OuterRef("person")).exclude(pk=OuterRef("pk"))
                ),
                **(has or {}),
            )
            .filter(pk=pk)
        )

    case: Any  # a Case with the has_... flags above
    if kept_as is not None and permissions.sees_every_case(user):
        case = kept_get(kept_as, Case, query, pk)
    else:
        case = query(pk).get()
    lookups: list[str | Prefetch] = []
    if kept_as is not None:
        _kept_lists(kept_as, case)
    else:
        lookups += [
            Prefetch("person__citizenships", queryset=_citizenships()),
            Prefetch("assessment__forms", queryset=_forms()),
            "reflection_period__extensions",
        ]
        if case.has_other_cases:
            lookups.append(Prefetch("person__cases", queryset=_other_cases()))
    if not case.has_other_cases:
        _known_empty(case.person, "cases", [case])
    if kept_as is not None:
        _kept_optional_lists(kept_as, case)
    else:
        for name, lookup in _optional_lists().items():
            if getattr(case, f"has_{name}"):
                lookups.append(lookup)
            else:
                _known_empty(case, name)
    prefetch_related_objects([case], *lookups)
    return case


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
    extensions: list[ReflectionExtension] = field(default_factory=list)

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
        running=case.status in choices.CASE_IN_PERIOD,
        extensions=list(period.extensions.all()),
    )


def live_return(case: Case) -> PreparedReturn | None:
    """The prepared return under way (not declined), from the prefetched rows."""
    return next((r for r in case.returns.all() if r.status != choices.ReturnStatus.DECLINED), None)


def case_available_actions(
    case: Case, today: date | None = None, user: User | None = None
) -> list[Action]:
    """The steps the case's state allows now (and `user` may take): brik.cases.workflow."""
    return workflow.available(case, user, today)


@dataclass
class TimelineRows:
    """The action-log rows of a case's steps, and the rows they name (by type and id)."""

    logs: list[ActionLog]
    objects: dict[tuple[str, str], object]


def case_timeline_rows(case: Case, changes: list[ActionLog]) -> TimelineRows:
    """Every recorded step of the case, oldest first, with who recorded it and when.

    The audit log is the source of "who" and "when recorded": `changes` are the
    case's rows but reads (brik.audit.selectors.case_change_rows, which the record
    history shows too). The steps' own rows (already loaded by case_detail) fill in
    what the step was: one query for each kind of row a step names (contact persons,
    corrections, reopenings).
    """
    logs = [log for log in changes if log.action in workflow.STEP_EVENTS]
    objects: dict[tuple[str, str], object] = {}
    for interview in case.interviews.all():
        objects[("cases.interview", str(interview.pk))] = interview
    for measure in case.support_measures.all():
        objects[("cases.supportmeasure", str(measure.pk))] = measure
    for prepared in case.returns.all():
        objects[("cases.preparedreturn", str(prepared.pk))] = prepared
    kinds = {log.action for log in logs}
    # Corrections and reopenings carry their reason and note (encrypted) in their own rows.
    if AuditEvent.CASE_AMENDED in kinds:
        for amendment in Amendment.objects.filter(case=case):
            objects[("cases.amendment", str(amendment.pk))] = amendment
    if AuditEvent.CASE_REOPENED in kinds:
        for reopening in Reopening.objects.filter(case=case):
            objects[("cases.reopening", str(reopening.pk))] = reopening
    assigned_ids = {
        log.data.get("to") for log in logs if log.action == AuditEvent.CASE_ASSIGNED
    } - {None}
    for log in logs:
        if log.action == AuditEvent.CASE_AMENDED and log.data.get("field") == "interviewers":
            assigned_ids.update(log.data.get("from") or [])
            assigned_ids.update(log.data.get("to") or [])
    if assigned_ids:
        for user in User.objects.filter(pk__in=assigned_ids):
            objects[("user", str(user.pk))] = user
    return TimelineRows(logs=logs, objects=objects)
