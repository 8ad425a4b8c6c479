"""My work's stored sort keys (brik.cases.sort_keys) always equal the ones computed from
their sources, after every workflow step; and My work's lists, ordered by the stored
keys, give the rows and the order the computed keys give.

The trust point of the stored keys: a stale urgency rank would hide an urgent case at
the bottom of a caseworker's list, a stale last contact a follow-up that is due.
"""

import datetime as dt
import importlib
from collections.abc import Callable

import pytest
from django.apps import apps as django_apps
from django.db.models import F

from brik.cases import selectors, services, sort_keys
from brik.cases.models import Case, Interview, PreparedReturn
from brik.cases.selectors.my_work import PER_PAGE, SCOPES, _scope_q, open_cases
from brik.cases.services import amendments
from brik.core import choices as c
from brik.testing.factories import referral_kwargs

pytestmark = pytest.mark.usefixtures("today", "fast_passwords")


def refer(dave, police, alice, urgency: str, name: str) -> Case:
    return services.case_refer(
        actor=dave,
        referring_organisation=police,
        assigned_to=alice,
        urgency=urgency,
        **referral_kwargs(identity={"given_names": name}),
    )


def screen(case: Case, alice, urgent: bool, day: dt.date) -> None:
    services.screening_record(
        actor=alice,
        case=case,
        screened_on=day,
        urgent=urgent,
        needs_interpreter=False,
        safe_to_contact=c.SafeToContact.YES,
    )


def identify(case: Case, alice) -> None:
    services.interview_record(actor=alice, case=case, held_on=dt.date(2021, 3, 5))
    services.assessment_decide(
        actor=alice,
        case=case,
        decided_on=dt.date(2021, 3, 10),
        deciding_authority=c.DecidingAuthority.IMMIGRATION,
        outcome=c.Outcome.IDENTIFIED,
        forms=[c.ExploitationForm.SEXUAL],
    )


def amend_departure(case: Case, alice, day: dt.date) -> None:
    target = next(
        t.value for t in amendments.amendable_targets(case) if t.spec.key == "return.departed_on"
    )
    services.case_amend(actor=alice, case=case, target=target, value=day, reason="Typed wrongly.")


@pytest.mark.django_db
def test_the_stored_keys_equal_the_computed_ones_after_every_step(
    dave, police, alice, bob, partner_abroad
):
    routine = refer(dave, police, alice, c.Urgency.ROUTINE, "Routine")
    soon = refer(dave, police, alice, c.Urgency.SOON, "Soon")
    urgent = refer(dave, police, alice, c.Urgency.URGENT, "Urgent")

    def plan(case: Case, day: int) -> None:
        services.interview_plan(
            actor=alice, case=case, planned_for=dt.datetime(2021, 6, day, 10, tzinfo=dt.UTC)
        )

    def assign(case: Case, caseworker) -> None:
        services.case_assign(actor=alice, case=case, caseworker=caseworker)

    steps: list[tuple[str, Callable[[], object]]] = [
        ("screened urgent (soon)", lambda: screen(soon, alice, True, dt.date(2021, 3, 2))),
        ("screened not urgent (soon)", lambda: screen(soon, alice, False, dt.date(2021, 3, 3))),
        ("screened not urgent (urgent)", lambda: screen(urgent, alice, False, dt.date(2021, 3, 3))),
        ("screened urgent (routine)", lambda: screen(routine, alice, True, dt.date(2021, 3, 2))),
        ("interview planned (urgent)", lambda: plan(urgent, 7)),
        ("reassigned (urgent)", lambda: assign(urgent, bob)),
        ("unassigned (urgent)", lambda: assign(urgent, None)),
        ("interview planned, nobody's (urgent)", lambda: plan(urgent, 8)),
        ("assigned again (urgent)", lambda: assign(urgent, alice)),
        ("identified", lambda: identify(routine, alice)),
        (
            "period started",
            lambda: services.reflection_start(
                actor=alice, case=routine, starts_on=dt.date(2021, 3, 10)
            ),
        ),
        (
            "period extended",
            lambda: services.reflection_extend(
                actor=alice,
                case=routine,
                new_ends_on=dt.date(2021, 5, 9),
                reason=c.ExtensionReason.PREPARED_RETURN,
                extended_on=dt.date(2021, 4, 1),
            ),
        ),
        (
            "return offered",
            lambda: services.return_offer(
                actor=alice, case=routine, offered_on=dt.date(2021, 3, 15)
            ),
        ),
        (
            "return accepted",
            lambda: services.return_accept(
                actor=alice,
                case=routine,
                accepted_on=dt.date(2021, 3, 16),
                destination_country="NG",
                destination_kind="home",
                reintegration_partner=partner_abroad,
            ),
        ),
        (
            "departed",
            lambda: services.return_depart(
                actor=alice, case=routine, departed_on=dt.date(2021, 3, 20)
            ),
        ),
        ("departure corrected", lambda: amend_departure(routine, alice, dt.date(2021, 3, 22))),
        (
            "follow-up",
            lambda: services.follow_up_add(
                actor=alice,
                case=routine,
                held_on=dt.date(2021, 4, 20),
                status=c.FollowUpStatus.ON_TRACK,
            ),
        ),
        (
            "an earlier follow-up recorded late",
            lambda: services.follow_up_add(
                actor=alice,
                case=routine,
                held_on=dt.date(2021, 4, 1),
                status=c.FollowUpStatus.ON_TRACK,
            ),
        ),
        (
            "closed",
            lambda: services.case_close(
                actor=alice,
                case=routine,
                closed_on=dt.date(2021, 5, 1),
                reason=c.ClosingReason.OTHER,
                note="Synthetic.",
            ),
        ),
        (
            "reopened",
            lambda: services.case_reopen(
                actor=alice,
                case=routine,
                reopened_on=dt.date(2021, 5, 2),
                reason=c.ReopenReason.CLOSED_IN_ERROR,
            ),
        ),
    ]
    assert sort_keys.stale_keys() == []
    for name, step in steps:
        step()
        assert sort_keys.stale_keys() == [], name
    # The steps did move the keys (the test would pass on keys never written otherwise).
    routine.refresh_from_db()
    soon.refresh_from_db()
    urgent.refresh_from_db()
    assert (routine.urgency_rank, soon.urgency_rank, urgent.urgency_rank) == (0, 1, 0)
    assert routine.period_ends_on == dt.date(2021, 5, 9)
    prepared = PreparedReturn.objects.get(case=routine)
    assert prepared.last_contact_on == dt.date(2021, 4, 20)
    assert (routine.return_last_contact_on, routine.return_follow_up_until) == (
        dt.date(2021, 4, 20),
        prepared.follow_up_until,
    )
    assert prepared.follow_up_until is not None
    assert sorted(Interview.objects.values_list("case_id", "case_assigned_to")) == sorted(
        [(urgent.pk, alice.pk), (urgent.pk, alice.pk), (routine.pk, alice.pk)]
    )

    # The migrations that filled the keys of the rows that existed before them
    # (cases/0015, cases/0022) give the same keys from the same sources.
    fill = importlib.import_module("brik.cases.migrations.0015_fill_my_work_sort_keys").fill
    fill_returns = importlib.import_module("brik.cases.migrations.0022_case_return_keys").fill
    fill_interviews = importlib.import_module(
        "brik.cases.migrations.0024_interview_case_assigned_to"
    ).fill
    kept = stored_keys()
    Case.objects.update(
        urgency_rank=sort_keys.ROUTINE_RANK,
        period_ends_on=None,
        return_last_contact_on=None,
        return_follow_up_until=None,
    )
    PreparedReturn.objects.update(last_contact_on=None)
    Interview.objects.update(case_assigned_to=None)
    # Three cases not routine (one with its period and its return's keys), a return,
    # three interviews (one held without planning: "identified").
    assert len(sort_keys.stale_keys()) == 8
    fill(django_apps, None)
    fill_returns(django_apps, None)
    fill_interviews(django_apps, None)
    assert sort_keys.stale_keys() == []
    assert stored_keys() == kept


def stored_keys() -> list[tuple]:
    return (
        list(Interview.objects.order_by("pk").values_list("pk", "case_assigned_to"))
        + list(
            Case.objects.order_by("pk").values_list(
                "pk",
                "urgency_rank",
                "period_ends_on",
                "return_last_contact_on",
                "return_follow_up_until",
            )
        )
        + list(PreparedReturn.objects.order_by("pk").values_list("pk", "last_contact_on"))
    )


def computed_order(user, scope: str, sort: str) -> list[int]:
    """The open cases in the order My work gave before the keys were stored."""
    orders = {
        "urgency": ("rank", F("ends").asc(nulls_last=True), "referred_on", "id"),
        "deadline": (F("ends").asc(nulls_last=True), "referred_on", "id"),
    }
    return list(
        Case.objects.exclude(status=c.CaseStatus.CLOSED)
        .filter(_scope_q(user, scope))
        .annotate(rank=sort_keys.computed_urgency_rank(), ends=sort_keys.computed_period_ends_on())
        .order_by(*orders[sort])
        .values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_my_work_lists_the_open_cases_in_the_order_of_the_computed_keys(dave, police, alice, bob):
    days = iter(dt.date(2021, 3, 1) + dt.timedelta(days=n) for n in range(40))
    made = []
    for i, urgency in enumerate([c.Urgency.ROUTINE, c.Urgency.SOON, c.Urgency.URGENT] * 4):
        case = services.case_refer(
            actor=dave,
            referring_organisation=police,
            assigned_to=[alice, bob, None][i % 3],
            urgency=urgency,
            **referral_kwargs(referred_on=next(days), identity={"given_names": f"P{i}"}),
        )
        made.append(case)
    for case in made[:4]:
        screen(case, alice, True, case.referred_on)
    for i, case in enumerate(made[4:9]):
        services.interview_record(actor=alice, case=case, held_on=case.referred_on)
        services.assessment_decide(
            actor=alice,
            case=case,
            decided_on=case.referred_on,
            deciding_authority=c.DecidingAuthority.IMMIGRATION,
            outcome=c.Outcome.IDENTIFIED,
            forms=[c.ExploitationForm.SEXUAL],
        )
        if i < 4:  # one identified case without a period
            services.reflection_start(
                actor=alice, case=case, starts_on=dt.date(2021, 4, 10) - dt.timedelta(days=i % 2)
            )
    for user in (alice, bob):
        for scope in SCOPES:
            for sort in ("urgency", "deadline"):
                shown = [case.pk for case in open_cases(user, scope, sort=sort)]
                assert shown == computed_order(user, scope, sort), (user, scope, sort)
                work = selectors.my_work(user=user, scope=scope, sort=sort)
                assert [case.pk for case in work.cases.rows] == shown[:PER_PAGE]
                assert work.cases.count == len(shown)
    assert len(set(computed_order(alice, "team", "urgency"))) == len(made)
