"""A demo case and a case made through the services with the same steps are alike.

The demo writes its histories in bulk, without the services, for speed. Its
statuses come from brik.cases.workflow and its action-log payloads from
brik.audit.services, so they cannot drift; this test proves it on one whole
case (referral, interviews, decision, reflection period and its extension,
support, a prepared return, departure, follow-up and closing): the same status
after every step, and the same action-log rows (action, object type, the keys
of data and of changes).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from brik.audit.models import ActionLog
from brik.cases import services
from brik.cases.models import Case, Interview, SupportMeasure
from brik.cases.workflow import Action
from brik.core import choices
from brik.demo import planning, reference
from brik.demo.history import Context, History
from brik.demo.records import Rows

CPH = ZoneInfo("Europe/Copenhagen")


class _Organisations(dict):
    """The demo's organisations by name; any partner abroad is the test's one."""

    def __init__(self, default, named):
        super().__init__(named)
        self.default = default

    def __missing__(self, name):
        return self.default


@pytest.fixture
def demo_case(police, alice, dave, partner_abroad):
    slot = planning.Slot(
        index=0,
        year=2021,
        outcome=planning.IDENTIFIED,
        gender=choices.Gender.WOMAN,
        forms=(choices.ExploitationForm.SEXUAL,),
        country="NG",
        decided_on=dt.date(2021, 3, 10),
        referred_on=dt.date(2021, 3, 1),
        dob=dt.date(1995, 5, 5),
        person=0,
        code="BRK-2021-0001",
        channel=choices.ReferralChannel.PARTNER,
        referring_organisation=police.name,
        police_district=police.name,
        municipality="Aarhus",
        caseworker="caseworker",
    )
    users = dict.fromkeys(reference.CASEWORKERS, alice) | {"dave": dave}
    ctx = Context(
        seed=7,
        organisations=_Organisations(partner_abroad, {police.name: police}),
        users=users,
        tz=CPH,
    )
    history = History(slot, ctx, Rows())
    history.refer()
    planned = history.interview_plan(dt.date(2021, 3, 2), dt.date(2021, 3, 5))
    history.interview_record(dt.date(2021, 3, 5), planned)
    history.decide()
    history.reflection_start(dt.date(2021, 3, 10))
    history.support_add(dt.date(2021, 3, 11), choices.SupportType.PSYCHOLOGICAL)
    history.reflection_extend(
        dt.date(2021, 4, 1), dt.date(2021, 5, 20), choices.ExtensionReason.PREPARED_RETURN
    )
    history.return_offer(dt.date(2021, 4, 15))
    history.return_accept(dt.date(2021, 4, 20))
    history.support_end_all(dt.date(2021, 5, 1))
    history.return_depart(dt.date(2021, 5, 2))
    history.follow_up_add(dt.date(2021, 6, 1), choices.FollowUpStatus.ON_TRACK)
    history.close(dt.date(2021, 11, 15), choices.ClosingReason.RETURN_COMPLETED)
    # The status after every step, as the demo plays it.
    statuses = []

    def recording(action, play):
        def played(at):
            play(at)
            statuses.append((action, history.case.status))

        return played

    history.steps = [(d, r, s, a, recording(a, play)) for d, r, s, a, play in history.steps]
    history.play()
    return history, statuses


def _replay(history: History, played: list[Action], alice):
    """The same steps, with the same values, through the services."""
    rows = history.rows
    referral, assessment = history.referral, rows.assessments[0]
    identity, period, prepared = rows.identities[0], history.period, history.prepared
    case = None

    def refer():
        return services.case_refer(
            actor=referral.referred_by,
            referral=services.NewReferral(
                referring_organisation=referral.referring_organisation,
                referred_on=referral.referred_on,
                gender=history.slot.gender,
                birth_year=history.slot.dob.year,
                citizenships=[history.slot.country],
                languages=rows.persons[0].languages,
                identity={
                    "given_names": identity.given_names,
                    "family_name": identity.family_name,
                    "date_of_birth": identity.date_of_birth,
                    "identity_documents": identity.identity_documents,
                },
                channel=referral.channel,
                police_district=referral.police_district,
                municipality=referral.municipality,
                indicators=referral.indicators,
                urgency=referral.urgency,
                interpreter_language=referral.interpreter_language,
                consent_to_share=referral.consent_to_share,
                observations=referral.observations,
                assigned_to=alice,
            ),
        )

    interview = history.interviews[0]
    steps = {
        Action.INTERVIEW_PLAN: lambda: services.interview_plan(
            actor=alice,
            case=case,
            planned_for=interview.planned_for,
            place=interview.place,
            interviewers=[alice],
            interpreter_language=interview.interpreter_language,
        ),
        Action.INTERVIEW_RECORD: lambda: services.interview_record(
            actor=alice,
            case=case,
            held_on=interview.held_on,
            interview=Interview.objects.get(case=case),
            indicators=interview.indicators,
            dimensions=interview.dimensions,
            notes=interview.notes,
        ),
        Action.ASSESSMENT_DECIDE: lambda: services.assessment_decide(
            actor=alice,
            case=case,
            decision=services.Decision(
                decided_on=assessment.decided_on,
                deciding_authority=assessment.deciding_authority,
                outcome=assessment.outcome,
                forms=[row.form for row in rows.forms],
                sexual_exploitation_type=assessment.sexual_exploitation_type,
                labour_sector=assessment.labour_sector,
                means_of_control=assessment.means_of_control,
                countries_of_exploitation=assessment.countries_of_exploitation,
                exploitation_from=assessment.exploitation_from,
                exploitation_to=assessment.exploitation_to,
                notes=assessment.notes,
            ),
        ),
        Action.REFLECTION_START: lambda: services.reflection_start(
            actor=alice, case=case, starts_on=period.starts_on
        ),
        Action.SUPPORT_ADD: lambda: services.support_add(
            actor=alice,
            case=case,
            kind=rows.supports[0].kind,
            starts_on=rows.supports[0].starts_on,
            provider=rows.supports[0].provider,
            note=rows.supports[0].note,
        ),
        Action.REFLECTION_EXTEND: lambda: services.reflection_extend(
            actor=alice,
            case=case,
            new_ends_on=rows.extensions[0].new_ends_on,
            reason=rows.extensions[0].reason,
            extended_on=rows.extensions[0].extended_on,
            note=rows.extensions[0].note,
        ),
        Action.RETURN_OFFER: lambda: services.return_offer(
            actor=alice, case=case, offered_on=prepared.offered_on
        ),
        Action.RETURN_ACCEPT: lambda: services.return_accept(
            actor=alice,
            case=case,
            plan=services.ReturnPlan(
                accepted_on=prepared.accepted_on,
                destination_country=prepared.destination_country,
                destination_kind=prepared.destination_kind,
                reintegration_partner=prepared.reintegration_partner,
                plan_allowance=prepared.plan_allowance,
                plan_housing=prepared.plan_housing,
                plan_income_activity=prepared.plan_income_activity,
                plan_medical=prepared.plan_medical,
                plan_schooling_self=prepared.plan_schooling_self,
                plan_schooling_children=prepared.plan_schooling_children,
                plan_notes=prepared.plan_notes,
            ),
        ),
        Action.SUPPORT_END: lambda: [
            services.support_end(actor=alice, measure=measure, ends_on=rows.supports[0].ends_on)
            for measure in SupportMeasure.objects.filter(case=case, ends_on__isnull=True)
        ],
        Action.RETURN_DEPART: lambda: services.return_depart(
            actor=alice, case=case, departed_on=prepared.departed_on
        ),
        Action.FOLLOW_UP_ADD: lambda: services.follow_up_add(
            actor=alice,
            case=case,
            held_on=rows.follow_ups[0].held_on,
            status=rows.follow_ups[0].status,
            notes=rows.follow_ups[0].notes,
        ),
        Action.CASE_CLOSE: lambda: services.case_close(
            actor=alice,
            case=case,
            closed_on=history.case.closed_on,
            reason=history.case.closing_reason,
            note=history.case.closing_note,
        ),
    }
    statuses = []
    with time_machine.travel(dt.datetime(2021, 12, 31, 12, tzinfo=CPH), tick=False):
        for action in played:
            if action == Action.CASE_REFER:
                case = refer()
            else:
                steps[action]()
            case.refresh_from_db()
            statuses.append((action, case.status))
    return case, statuses


def _shape(action, object_type, data, changes):
    return (str(action), object_type, sorted(data), sorted(changes))


def test_a_demo_case_has_the_statuses_and_log_rows_of_the_same_steps_through_services(
    demo_case, alice
):
    history, demo_statuses = demo_case
    played = [action for action, _status in demo_statuses]

    case, service_statuses = _replay(history, played, alice)

    assert service_statuses == demo_statuses
    assert [status for _action, status in demo_statuses][-1] == choices.CaseStatus.CLOSED
    demo_rows = [
        _shape(r.action, r.obj._meta.label_lower, r.data, r.changes)
        for r in sorted(history.rows.audit, key=lambda r: r.at)
    ]
    service_rows = [
        _shape(log.action, log.object_type, log.data, log.changes)
        for log in ActionLog.objects.filter(case=case).order_by("created_at", "id")
    ]
    assert service_rows == demo_rows
    assert Case.objects.count() == 1
