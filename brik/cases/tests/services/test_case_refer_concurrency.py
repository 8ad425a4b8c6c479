"""Referrals registered at the same moment, in real concurrent transactions.

SQLite's in-memory test database locks whole tables and fails at once instead
of waiting, so these run on PostgreSQL or a file-backed database only:
BRIK_DATABASE_URL=postgres://... pytest brik/cases/tests/services/test_case_refer_concurrency.py
"""

import datetime as dt
import threading

import pytest
from django.db import connection

from brik.cases import services
from brik.cases.models import Case, Person, Referral
from brik.core.errors import TransitionError
from brik.testing.factories import referral_kwargs

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _concurrent_database(transactional_db):
    # Asked once the test database exists: its name is only known then.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite cannot run concurrent transactions")


def run_together(*calls):
    """Start the calls in threads (each with its own connection) at the same instant."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # the outcome is what the test checks
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_new_referrals_at_the_same_moment_get_different_codes(dave, police):
    def refer():
        return services.case_refer(
            actor=dave, referring_organisation=police, **referral_kwargs(identity={})
        ).code

    results = run_together(refer, refer, refer, refer)

    assert sorted(results) == [f"BRK-2021-000{n}" for n in (1, 2, 3, 4)]
    assert Person.objects.count() == 4


def test_a_known_person_referred_twice_at_the_same_moment_gets_one_case(dave, police, alice):
    first = services.case_refer(actor=dave, referring_organisation=police, **referral_kwargs())
    services.case_close(
        actor=alice, case=first, closed_on=dt.date(2021, 3, 20), reason="disappeared"
    )

    def refer_again():
        return services.case_refer(
            actor=dave,
            referring_organisation=police,
            person=first.person,
            referred_on=dt.date(2022, 2, 1),
        )

    results = run_together(refer_again, refer_again)

    cases = [r for r in results if isinstance(r, Case)]
    refusals = [r for r in results if isinstance(r, TransitionError)]
    assert len(cases) == 1, results
    assert len(refusals) == 1, results
    assert refusals[0].code == "open_case_exists"
    assert cases[0].code == "BRK-2021-0001/2"
    assert Case.objects.filter(person=first.person).count() == 2
    assert Referral.objects.count() == 2


def test_two_decisions_submitted_at_the_same_moment_record_one(dave, police, alice, bob):
    # Not a referral, but the same guard: every step re-reads its case under a row lock.
    case = services.case_refer(actor=dave, referring_organisation=police, **referral_kwargs())

    def decide(actor, outcome):
        return lambda: services.assessment_decide(
            actor=actor,
            case=Case.objects.get(pk=case.pk),
            decided_on=dt.date(2021, 3, 10),
            deciding_authority="immigration",
            outcome=outcome,
            forms=["sexual"] if outcome == "identified" else [],
        )

    results = run_together(decide(alice, "identified"), decide(bob, "not_identified"))

    refusals = [r for r in results if isinstance(r, TransitionError)]
    assert len(refusals) == 1, results
    assert refusals[0].code == "invalid_transition"
    case.refresh_from_db()
    assert case.outcome == case.assessment.outcome
