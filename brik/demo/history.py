"""One case's history, step by step, exactly as brik.cases.services would have written it.

Each slot becomes a list of steps (refer, plan and record interviews, decide,
start and extend the reflection period, add and end support, offer, accept or
decline and carry out a prepared return, follow up, record a stay, close).
The steps are played in date order up to the end of the history; steps after
it are the future and are dropped, so a case decided in the last weeks is
still open. Playing a step sets the same fields, statuses and milestone dates as the
service of the same name, checks the same rule (brik.cases.workflow.is_allowed)
and records the same action-log entry. Nothing is saved here: the rows are
collected for bulk writing (brik.demo.writer). Statuses come from
brik.cases.workflow, audit payloads and changes from brik.audit.services
(brik/demo/tests/test_demo_matches_services.py proves a demo case matches a
service-made one).

Longer than 400 lines on purpose: one method per service, mirroring
brik.cases.services step by step, and the plans of whole cases that call them;
split, a reader would have to hold two files to compare one step.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from faker import Faker

from brik.audit.events import AuditEvent
from brik.audit.services import changes_since, snapshot
from brik.cases import rules, sort_keys, workflow
from brik.cases.models import (
    Assessment,
    Case,
    ExploitationForm,
    FollowUp,
    Interview,
    Person,
    PersonCitizenship,
    PersonIdentity,
    PreparedReturn,
    Referral,
    ReflectionExtension,
    ReflectionPeriod,
    SupportMeasure,
)
from brik.cases.workflow import Action
from brik.core import choices
from brik.demo import planning, texts
from brik.demo import reference as ref
from brik.demo.calibration import history_end
from brik.demo.records import AuditRecord, Rows, make

# Same-day steps happen in the workflow's order (a decision before the period it starts...).
RANK = workflow.SAME_DAY_RANK


_FAKERS: dict[str, Faker] = {}


class Context:
    """What every history needs: organisations, users, names, the random source."""

    def __init__(self, *, seed: int, organisations: dict, users: dict, tz: ZoneInfo):
        self.rng = random.Random(f"{seed}:histories")
        self._name_seed = random.Random(f"{seed}:names")
        self.organisations = organisations
        self.users = users
        self.tz = tz
        self.persons: dict[int, Person] = {}  # person index -> Person (first passage)
        self.joint_actions: dict[int, object] = {}  # planned action index -> JointAction
        # Partners' demo users register their own organisation's referrals.
        self.partner_users = {
            user.organisation_id: user
            for user in users.values()
            if user.role in (choices.Role.REFERRER, choices.Role.OUTREACH)
        }
        self._seeded: set[str] = set()

    def faker(self, locale: str) -> Faker:
        """The locale's Faker, seeded from this run's seed the first time the run uses it."""
        if locale not in _FAKERS:
            _FAKERS[locale] = Faker(locale)  # loading a locale takes a while: kept for reuse
        fake = _FAKERS[locale]
        if locale not in self._seeded:
            fake.seed_instance(self._name_seed.randrange(2**32))
            self._seeded.add(locale)
        return fake

    def name(self, country: str, gender: str) -> tuple[str, str]:
        """Synthetic given and family names that fit the citizenship; never a real person's."""
        spec = ref.COUNTRIES[country]
        fake = self.faker(self.rng.choice(spec.locales))
        female = gender == choices.Gender.WOMAN or (
            gender != choices.Gender.MAN and self.rng.random() < 0.5
        )
        if spec.locales[0] == "zh_CN":
            given, family = fake.first_romanized_name(), fake.last_romanized_name()
        else:
            given = fake.first_name_female() if female else fake.first_name_male()
            family_of = getattr(fake, "last_name_female" if female else "last_name_male", None)
            family = family_of() if family_of else fake.last_name()
        if spec.transliterate:
            given, family = ref.latin(given), ref.latin(family)
        return given, family

    def at(self, day: date, rank: int, seq: int) -> datetime:
        """An office-hours moment on `day`, later for later steps of the same day."""
        return datetime.combine(day, time(9 + min(rank, 7), seq % 60), tzinfo=self.tz)


class History:
    """The steps of one case, played in date order up to the end of the history."""

    def __init__(self, slot: planning.Slot, ctx: Context, rows: Rows):
        self.slot = slot
        self.ctx = ctx
        self.rows = rows
        self.rng = ctx.rng
        # A new referral nobody has taken yet has no caseworker; the centre's first
        # caseworker stands in as the one who registered it, if a partner did not.
        self.caseworker = ctx.users[slot.caseworker or ref.CASEWORKERS[0]]
        self.steps: list[tuple[date, int, int, str, Callable[[datetime], None]]] = []
        self.case = make(
            Case,
            sequence=slot.sequence,
            referred_on=slot.referred_on,
            has_legal_residence=slot.legal_residence,
            assigned_to=self.caseworker if slot.caseworker else None,
            status=choices.CaseStatus.REFERRED,
        )
        self.open_supports: list[SupportMeasure] = []
        self.interviews: list[Interview] = []
        self.period: ReflectionPeriod | None = None
        self.prepared: PreparedReturn | None = None

    # --- playing --------------------------------------------------------------------

    def step(self, day: date, action: Action, play: Callable[[datetime], None]) -> None:
        self.steps.append((day, RANK[action], len(self.steps), action, play))

    def play(self) -> None:
        end = history_end()
        # The steps' closures hold this history: taken off it, played and dropped,
        # so that a batch's histories and rows are freed by reference counting when
        # the batch is written, not left to the cyclic garbage collector.
        steps, self.steps = self.steps, []
        for day, rank, seq, action, play in sorted(steps, key=lambda s: s[:3]):
            if day > end:
                break  # this and everything after it has not happened yet
            if action != Action.CASE_REFER and not workflow.is_allowed(action, self.case.status):
                raise AssertionError(
                    f"{self.slot.code}/{self.slot.sequence}: {action} "
                    f"not allowed in {self.case.status} on {day}"
                )
            play(self.ctx.at(day, rank, seq))

    def log(
        self, at: datetime, actor, action: AuditEvent, obj, data: dict, before: dict | None = None
    ) -> None:
        """Record the step's action-log entry; `before` is the snapshot of a changed row."""
        changes = changes_since(obj, before) if before is not None else {}
        self.rows.audit.append(AuditRecord(at, actor, action, obj, self.case, data, changes))

    def touch(self, obj, at: datetime, *, created: bool = False) -> None:
        if created:
            obj.created_at = at
        obj.updated_at = at

    def advance(self, action: Action, at: datetime) -> None:
        """Move the case's status as brik.cases.workflow says `action` does."""
        status = workflow.target(action, self)
        if status != self.case.status:
            self.case.status = status
            self.touch(self.case, at)

    # The facts the workflow reads (brik.cases.workflow.Facts), from the rows held here.

    @property
    def status(self) -> str:
        return self.case.status

    @property
    def outcome(self) -> str:
        return self.case.outcome

    @property
    def today(self) -> date:
        return history_end()

    @property
    def has_planned_interview(self) -> bool:
        return any(i.status == choices.InterviewStatus.PLANNED for i in self.interviews)

    @property
    def has_held_interview(self) -> bool:
        return any(i.status == choices.InterviewStatus.HELD for i in self.interviews)

    @property
    def has_open_support(self) -> bool:
        return bool(self.open_supports)

    @property
    def period_starts_on(self) -> date | None:
        return self.period.starts_on if self.period else None

    @property
    def period_ends_on(self) -> date | None:
        return self.period.ends_on if self.period else None

    @property
    def return_status(self) -> str | None:
        live = self.prepared is not None and self.prepared.status != choices.ReturnStatus.DECLINED
        return self.prepared.status if live else None

    # --- the steps, one per service ----------------------------------------------------

    def refer(self) -> None:
        slot = self.slot
        org = self.ctx.organisations[slot.referring_organisation]
        actor = self._referrer(org)
        spec = ref.COUNTRIES[slot.country]
        referral = make(
            Referral,
            case=self.case,
            referring_organisation=org,
            referred_by=actor,
            referred_on=slot.referred_on,
            channel=slot.channel,
            police_district=self.ctx.organisations[slot.police_district],
            municipality=slot.municipality,
            indicators=texts.pick_indicators(self.rng, slot.forms),
            urgency=self._urgency(org),
            interpreter_language=spec.languages[0] if spec.interpreter else "",
            consent_to_share=self.rng.random() < 0.85,
            joint_action=self.ctx.joint_actions[slot.joint_action]
            if slot.joint_action is not None
            else None,
            observations=texts.observation(self.rng, slot.forms, org.type),
        )
        self.referral = referral
        # My work's sort key, as case_refer stores it (brik.cases.sort_keys).
        self.case.urgency_rank = sort_keys.urgency_rank(referral.urgency, self.case.urgent)

        def play(at: datetime) -> None:
            if slot.sequence == 1:
                person = make(
                    Person,
                    code=slot.code,
                    gender=slot.gender,
                    birth_year=slot.dob.year,
                    languages=list(spec.languages),
                )
                self.touch(person, at, created=True)
                self.ctx.persons[slot.person] = person
                given, family = self.ctx.name(slot.country, slot.gender)
                identity = make(
                    PersonIdentity,
                    person=person,
                    given_names=given,
                    family_name=family,
                    date_of_birth=slot.dob,
                    identity_documents=texts.identity_documents(self.rng),
                )
                identity.compute_indexes()
                self.touch(identity, at, created=True)
                self.rows.persons.append(person)
                self.rows.identities.append(identity)
                for code in dict.fromkeys(x for x in (slot.country, slot.second_country) if x):
                    self.rows.citizenships.append(
                        make(PersonCitizenship, person=person, country=code)
                    )
            self.case.person = self.ctx.persons[slot.person]
            self.touch(self.case, at, created=True)
            self.touch(referral, at, created=True)
            self.rows.cases.append(self.case)
            self.rows.referrals.append(referral)
            self.log(
                at,
                actor,
                AuditEvent.CASE_REFERRED,
                self.case,
                {
                    "referral": referral,
                    "referring_organisation": org,
                    "referred_on": slot.referred_on,
                    "new_person": slot.sequence == 1,
                },
            )

        self.step(slot.referred_on, Action.CASE_REFER, play)

    def interview_plan(self, day: date, held_on: date) -> Interview:
        planned_for = datetime.combine(held_on, time(self.rng.choice((9, 10, 13))), self.ctx.tz)
        interview = make(
            Interview,
            case=self.case,
            case_assigned_to=self.case.assigned_to,
            status=choices.InterviewStatus.PLANNED,
            planned_for=planned_for,
            place=self._interview_place(),
            interpreter_language=self.referral.interpreter_language,
        )
        interviewers = self._interviewers()

        def play(at: datetime) -> None:
            self.touch(interview, at, created=True)
            self.interviews.append(interview)
            self.rows.interviews.append(interview)
            self.rows.interviewers.extend((interview, user) for user in interviewers)
            self.advance(Action.INTERVIEW_PLAN, at)
            self.log(
                at,
                self.caseworker,
                AuditEvent.INTERVIEW_PLANNED,
                interview,
                {"planned_for": planned_for, "place": interview.place},
            )

        self.step(day, Action.INTERVIEW_PLAN, play)
        return interview

    def interview_record(self, held_on: date, interview: Interview | None = None) -> None:
        found = self.slot.outcome != planning.NOT_IDENTIFIED
        indicators = texts.pick_indicators(self.rng, self.slot.forms, found=found)
        dimensions = texts.pick_dimensions(self.rng, found=found)
        notes = texts.interview_note(self.rng, found)
        new = interview is None
        if new:
            interview = make(
                Interview,
                case=self.case,
                case_assigned_to=self.case.assigned_to,
                place=self._interview_place(),
                interpreter_language=self.referral.interpreter_language,
            )
            interviewers = self._interviewers()

        def play(at: datetime) -> None:
            before = None if new else snapshot(interview)
            interview.status = choices.InterviewStatus.HELD
            interview.held_on = held_on
            interview.indicators = indicators
            interview.dimensions = dimensions
            interview.notes = notes
            self.touch(interview, at, created=new)
            if new:
                self.interviews.append(interview)
                self.rows.interviews.append(interview)
                self.rows.interviewers.extend((interview, user) for user in interviewers)
            self.advance(Action.INTERVIEW_RECORD, at)
            self.log(
                at,
                self.caseworker,
                AuditEvent.INTERVIEW_RECORDED,
                interview,
                {"held_on": held_on, "indicators": indicators, "dimensions": dimensions},
                before,
            )

        self.step(held_on, Action.INTERVIEW_RECORD, play)

    def interview_cancel(self, day: date, interview: Interview) -> None:
        def play(at: datetime) -> None:
            before = snapshot(interview)
            interview.status = choices.InterviewStatus.CANCELLED
            self.touch(interview, at)
            self.advance(Action.INTERVIEW_CANCEL, at)
            self.log(
                at,
                self.caseworker,
                AuditEvent.INTERVIEW_CANCELLED,
                interview,
                {"reason": ""},
                before,
            )

        self.step(day, Action.INTERVIEW_CANCEL, play)

    def decide(self) -> None:
        slot = self.slot
        identified = slot.outcome == planning.IDENTIFIED
        authority = (
            choices.DecidingAuthority.CENTRE
            if slot.legal_residence
            else choices.DecidingAuthority.IMMIGRATION
        )
        forms = list(slot.forms)
        exploitation_from = slot.referred_on - timedelta(days=self.rng.randint(20, 900))
        assessment = make(
            Assessment,
            case=self.case,
            decided_on=slot.decided_on,
            deciding_authority=authority,
            outcome=slot.outcome,
            decided_by=self.caseworker,
            sexual_exploitation_type=texts.sexual_type(self.rng)
            if choices.ExploitationForm.SEXUAL in forms
            else "",
            labour_sector=slot.labour_sector,
            means_of_control=texts.pick_means(self.rng, forms) if identified else [],
            countries_of_exploitation=texts.countries_of_exploitation(self.rng, slot.country)
            if identified
            else [],
            exploitation_from=exploitation_from if identified else None,
            exploitation_to=planning.between(self.rng, exploitation_from, slot.referred_on)
            if identified
            else None,
            notes=texts.assessment_note(self.rng, identified, authority),
        )

        def play(at: datetime) -> None:
            self.touch(assessment, at, created=True)
            self.rows.assessments.append(assessment)
            self.rows.forms.extend(
                make(ExploitationForm, assessment=assessment, form=f) for f in forms
            )
            self.case.decided_on = slot.decided_on
            self.case.outcome = slot.outcome
            self.advance(Action.ASSESSMENT_DECIDE, at)
            self.log(
                at,
                self.caseworker,
                AuditEvent.ASSESSMENT_DECIDED,
                assessment,
                {
                    "decided_on": slot.decided_on,
                    "deciding_authority": authority,
                    "outcome": slot.outcome,
                    "forms": forms,
                },
            )

        self.step(slot.decided_on, Action.ASSESSMENT_DECIDE, play)

    def reflection_start(self, day: date) -> None:
        kind = (
            choices.PeriodKind.RESTITUTION
            if self.slot.legal_residence
            else choices.PeriodKind.REFLECTION
        )
        period = make(
            ReflectionPeriod,
            case=self.case,
            kind=kind,
            starts_on=day,
            ends_on=rules.reflection_initial_end(day),
            days=rules.REFLECTION_INITIAL_DAYS,
            started_by=self.caseworker,
        )
        self.period_start = day

        def play(at: datetime) -> None:
            self.period = period
            self.case.period_ends_on = period.ends_on
            self.touch(period, at, created=True)
            self.rows.periods.append(period)
            self.advance(Action.REFLECTION_START, at)
            self.log(
                at,
                self.caseworker,
                AuditEvent.REFLECTION_STARTED,
                period,
                {"kind": kind, "starts_on": day, "ends_on": period.ends_on},
            )

        self.step(day, Action.REFLECTION_START, play)

    def reflection_extend(self, day: date, new_ends_on: date, reason: str) -> None:
        def play(at: datetime) -> None:
            period = self.period
            assert period.starts_on <= day <= period.ends_on < new_ends_on
            assert new_ends_on <= rules.reflection_latest_end(period.starts_on)
            extension = make(
                ReflectionExtension,
                period=period,
                extended_on=day,
                previous_ends_on=period.ends_on,
                new_ends_on=new_ends_on,
                reason=reason,
                note=texts.extension_note(self.rng, reason),
                extended_by=self.caseworker,
            )
            self.touch(extension, at, created=True)
            self.rows.extensions.append(extension)
            before = snapshot(period)
            period.ends_on = new_ends_on
            period.days = (new_ends_on - period.starts_on).days
            self.case.period_ends_on = new_ends_on
            self.touch(period, at)
            self.log(
                at,
                self.caseworker,
                AuditEvent.REFLECTION_EXTENDED,
                period,
                {"from": extension.previous_ends_on, "to": new_ends_on, "reason": reason},
                before,
            )

        self.step(day, Action.REFLECTION_EXTEND, play)

    def support_add(self, day: date, kind: str, ends_on: date | None = None) -> None:
        provider = self._provider(kind)
        measure = make(
            SupportMeasure,
            case=self.case,
            kind=kind,
            provider=provider,
            starts_on=day,
            ends_on=ends_on,
            note=texts.support_note(self.rng, kind),
        )

        def play(at: datetime) -> None:
            self.touch(measure, at, created=True)
            self.rows.supports.append(measure)
            if ends_on is None:
                self.open_supports.append(measure)
            self.advance(Action.SUPPORT_ADD, at)
            self.log(
                at,
                self.caseworker,
                AuditEvent.SUPPORT_ADDED,
                measure,
                {"kind": kind, "starts_on": day, "ends_on": ends_on},
            )

        self.step(day, Action.SUPPORT_ADD, play)

    def support_end_all(self, day: date) -> None:
        """End every running support on `day` (at departure or closing)."""

        def play(at: datetime) -> None:
            for measure in self.open_supports:
                before = snapshot(measure)
                measure.ends_on = max(day, measure.starts_on)
                self.touch(measure, at)
                self.log(
                    at,
                    self.caseworker,
                    AuditEvent.SUPPORT_ENDED,
                    measure,
                    {"ends_on": measure.ends_on},
                    before,
                )
            self.open_supports = []

        self.step(day, Action.SUPPORT_END, play)

    def return_offer(self, day: date) -> None:
        prepared = make(
            PreparedReturn, case=self.case, status=choices.ReturnStatus.OFFERED, offered_on=day
        )

        def play(at: datetime) -> None:
            self.prepared = prepared
            self.touch(prepared, at, created=True)
            self.rows.returns.append(prepared)
            self.log(at, self.caseworker, AuditEvent.RETURN_OFFERED, prepared, {"offered_on": day})

        self.step(day, Action.RETURN_OFFER, play)

    def return_accept(self, day: date) -> None:
        slot = self.slot
        destination, kind = slot.country, choices.DestinationKind.HOME
        if slot.country == "NG" and self.rng.random() < 0.1:
            destination, kind = self.rng.choice(("IT", "ES")), choices.DestinationKind.RESIDENCE
        partners = ref.PARTNERS_BY_COUNTRY.get(destination, ())
        partner = self.ctx.organisations[self.rng.choice(partners)] if partners else None
        flags = texts.plan_flags(self.rng, slot.age)

        def play(at: datetime) -> None:
            prepared = self.prepared
            before = snapshot(prepared)
            prepared.status = choices.ReturnStatus.ACCEPTED
            prepared.accepted_on = day
            prepared.destination_country = destination
            prepared.destination_kind = kind
            prepared.reintegration_partner = partner
            for name, value in flags.items():
                setattr(prepared, name, value)
            prepared.plan_notes = texts.plan_note(self.rng, flags)
            self.touch(prepared, at)
            self.log(
                at,
                self.caseworker,
                AuditEvent.RETURN_ACCEPTED,
                prepared,
                {"accepted_on": day, "destination_country": destination},
                before,
            )

        self.step(day, Action.RETURN_ACCEPT, play)

    def return_decline(self, day: date) -> None:
        def play(at: datetime) -> None:
            before = snapshot(self.prepared)
            self.prepared.status = choices.ReturnStatus.DECLINED
            self.prepared.declined_on = day
            self.touch(self.prepared, at)
            self.log(
                at,
                self.caseworker,
                AuditEvent.RETURN_DECLINED,
                self.prepared,
                {"declined_on": day},
                before,
            )

        self.step(day, Action.RETURN_DECLINE, play)

    def return_depart(self, day: date) -> None:
        def play(at: datetime) -> None:
            prepared = self.prepared
            before = snapshot(prepared)
            prepared.status = choices.ReturnStatus.DEPARTED
            prepared.departed_on = day
            prepared.follow_up_until = rules.follow_up_until(day)
            self.touch(prepared, at)
            self.advance(Action.RETURN_DEPART, at)
            self.log(
                at,
                self.caseworker,
                AuditEvent.RETURN_DEPARTED,
                prepared,
                {"departed_on": day, "follow_up_until": prepared.follow_up_until},
                before,
            )
            # After the log: the sort keys are not among the step's changes (as in the service).
            prepared.last_contact_on = sort_keys.last_contact_on(day, [])
            self.case.return_last_contact_on = prepared.last_contact_on
            self.case.return_follow_up_until = prepared.follow_up_until

        self.step(day, Action.RETURN_DEPART, play)

    def follow_up_add(self, day: date, status: str) -> None:
        def play(at: datetime) -> None:
            follow_up = make(
                FollowUp,
                prepared_return=self.prepared,
                held_on=day,
                status=status,
                notes=texts.follow_up_note(self.rng, status),
                recorded_by=self.caseworker,
            )
            self.touch(follow_up, at, created=True)
            self.rows.follow_ups.append(follow_up)
            # The latest contact (follow-ups are never before the departure).
            prepared = self.prepared
            prepared.last_contact_on = max(day, prepared.last_contact_on or day)
            self.case.return_last_contact_on = prepared.last_contact_on
            self.log(
                at,
                self.caseworker,
                AuditEvent.FOLLOWUP_ADDED,
                follow_up,
                {"held_on": day, "status": status},
            )

        self.step(day, Action.FOLLOW_UP_ADD, play)

    def record_stay(self, day: date, basis: str) -> None:
        def play(at: datetime) -> None:
            before = snapshot(self.case)
            self.case.stay_basis = basis
            self.case.stay_from = day
            self.advance(Action.CASE_RECORD_STAY, at)
            self.log(
                at,
                self.caseworker,
                AuditEvent.CASE_STAYING,
                self.case,
                {"basis": basis, "from": day},
                before,
            )

        self.step(day, Action.CASE_RECORD_STAY, play)

    def close(self, day: date, reason: str) -> None:
        note = texts.closing_note(self.rng, reason)

        def play(at: datetime) -> None:
            before = snapshot(self.case)
            self.case.closed_on = day
            self.case.closing_reason = reason
            self.case.closing_note = note
            self.advance(Action.CASE_CLOSE, at)
            self.log(
                at,
                self.caseworker,
                AuditEvent.CASE_CLOSED,
                self.case,
                {"closed_on": day, "reason": reason},
                before,
            )

        self.step(day, Action.CASE_CLOSE, play)

    # --- helpers ------------------------------------------------------------------------

    def _referrer(self, org):
        """Who registered the referral: the partner's demo user if it has one, else the centre."""
        user = self.ctx.partner_users.get(org.pk)
        if user is not None and self.rng.random() < 0.6:
            return user
        return self.caseworker

    def _urgency(self, org) -> str:
        roll = self.rng.random()
        if org.type == choices.OrganisationType.POLICE:
            return (
                choices.Urgency.URGENT
                if roll < 0.3
                else choices.Urgency.SOON
                if roll < 0.6
                else choices.Urgency.ROUTINE
            )
        return choices.Urgency.SOON if roll < 0.2 else choices.Urgency.ROUTINE

    def _interview_place(self) -> str:
        return texts.interview_place(self.rng, self.slot)

    def _interviewers(self) -> list:
        users = [self.caseworker]
        if self.rng.random() < 0.4:
            other = self.ctx.users[self.rng.choice(ref.CASEWORKERS)]
            if other is not self.caseworker:
                users.append(other)
        return users

    def _provider(self, kind: str):
        orgs = self.ctx.organisations
        if kind == choices.SupportType.ACCOMMODATION:
            name = self.rng.choice(("Reden København", "HopeNow", "Kirkens Korshær", ref.CENTRE))
            return orgs[name]
        if kind in (
            choices.SupportType.CONTACT_PERSON,
            choices.SupportType.LEGAL_AID,
            choices.SupportType.INTERPRETER,
        ):
            return orgs[ref.CENTRE]
        if kind == choices.SupportType.MEDICAL and self.rng.random() < 0.3:
            return orgs[ref.HEALTH[0].name]
        return None


# --- a whole case, by the way it goes ----------------------------------------------------------


def build(slot: planning.Slot, ctx: Context, rows: Rows) -> History:
    """Lay out every step of the slot's case and play them up to the end of the history."""
    h = History(slot, ctx, rows)
    h.refer()
    rng = h.rng
    if slot.outcome:
        _before_decision(h, rng)
        h.decide()
        if slot.outcome == planning.IDENTIFIED:
            _identified(h, rng)
        else:
            close = slot.closes_on
            h.support_end_all(close)
            h.close(close, choices.ClosingReason.NOT_IDENTIFIED)
    else:
        _pending(h, rng)
    h.play()
    return h


def _before_decision(h: History, rng: random.Random) -> None:
    slot = h.slot
    ref_on, decided = slot.referred_on, slot.decided_on
    if rng.random() < (0.35 if slot.outcome == planning.IDENTIFIED else 0.2):
        # Before the decision day: on that day the decision comes first.
        last = max(ref_on, min(ref_on + timedelta(days=3), decided - timedelta(days=1)))
        h.support_add(planning.between(rng, ref_on, last), choices.SupportType.ACCOMMODATION)
    count = rng.choices((1, 2, 3), (50, 35, 15))[0]
    held = sorted(planning.between(rng, ref_on + timedelta(days=1), decided) for _ in range(count))
    held = [min(day, decided) for day in held]
    for day in held:
        if rng.random() < 0.75:
            plan_day = planning.between(rng, max(ref_on, day - timedelta(days=10)), day)
            h.interview_record(day, h.interview_plan(plan_day, day))
        else:
            h.interview_record(day)
    if rng.random() < 0.06:
        plan_day = planning.between(rng, ref_on, decided)
        h.interview_cancel(
            planning.between(rng, plan_day, decided), h.interview_plan(plan_day, decided)
        )


def _identified(h: History, rng: random.Random) -> None:
    slot = h.slot
    d, close = slot.decided_on, slot.closes_on
    start = d if slot.path == planning.RETURN else min(d + timedelta(days=rng.randint(0, 2)), close)
    h.reflection_start(start)
    h.support_add(d, choices.SupportType.CONTACT_PERSON)
    last = slot.departed_on or slot.stay_from or close
    for kind, chance in (
        (choices.SupportType.ACCOMMODATION, 0.6),
        (choices.SupportType.MEDICAL, 0.65),
        (choices.SupportType.PSYCHOLOGICAL, 0.45),
        (choices.SupportType.LEGAL_AID, 0.35),
        (choices.SupportType.EDUCATION, 0.15),
    ):
        if rng.random() < chance:
            day = planning.between(rng, d, min(d + timedelta(days=14), last))
            ends = None
            if (
                kind in (choices.SupportType.LEGAL_AID, choices.SupportType.MEDICAL)
                and rng.random() < 0.5
            ):
                ends = planning.between(rng, day, last)
            h.support_add(day, kind, ends)
    offered = None
    if slot.country != "DK":
        latest_offer = (
            min(d + timedelta(days=7), last - timedelta(days=1))
            if slot.path == planning.RETURN
            else min(d + timedelta(days=7), last)
        )
        offered = planning.between(rng, d, max(d, latest_offer))
        h.return_offer(offered)

    if slot.path == planning.RETURN:
        _prepared_return(h, rng, start, offered)
        return
    limit = slot.stay_from if slot.path == planning.STAY else close
    initial_end = rules.reflection_initial_end(start)
    if limit > initial_end + timedelta(days=30):
        # The case goes on well past the first 30 days: the caseworker extends the
        # period to about then, so that no deadline is left passed for months.
        day = start + timedelta(days=rng.randint(15, 29))
        new_end = min(
            limit + timedelta(days=rng.randint(-20, 10)), rules.reflection_latest_end(start)
        )
        h.reflection_extend(
            day,
            max(new_end, initial_end + timedelta(days=1)),
            choices.ExtensionReason.SPECIAL_REASONS,
        )
    elif rng.random() < 0.25:
        day = start + timedelta(days=rng.randint(15, 29))
        if day < limit:
            new_end = start + timedelta(days=rng.randint(45, rules.REFLECTION_MAX_DAYS))
            h.reflection_extend(day, new_end, choices.ExtensionReason.SPECIAL_REASONS)
    if slot.path == planning.STAY:
        if offered:
            h.return_decline(planning.between(rng, offered, slot.stay_from))
        h.record_stay(slot.stay_from, slot.stay_basis)
        h.support_end_all(close)
        h.close(close, choices.ClosingReason.STAYING)
        return
    if offered:
        if slot.path in (planning.DECLINED, planning.DEPARTED):
            h.return_decline(planning.between(rng, offered, close))
        elif slot.path == planning.DISAPPEARED and rng.random() < 0.3:
            h.return_accept(planning.between(rng, offered, close))
    reason = {
        planning.DECLINED: choices.ClosingReason.DECLINED_SUPPORT,
        planning.DISAPPEARED: choices.ClosingReason.DISAPPEARED,
        planning.DEPARTED: choices.ClosingReason.DEPARTED_WITHOUT_RETURN,
        planning.TRANSFERRED: choices.ClosingReason.TRANSFERRED,
    }[slot.path]
    h.support_end_all(close)
    h.close(close, reason)


def _prepared_return(h: History, rng: random.Random, start: date, offered: date) -> None:
    slot = h.slot
    departed = slot.departed_on
    h.return_accept(planning.between(rng, offered, departed - timedelta(days=1)))
    # Working towards a prepared return extends the departure deadline, never past 120 days.
    initial_end = rules.reflection_initial_end(start)
    latest = rules.reflection_latest_end(start)
    if departed > initial_end:
        end = initial_end
        if departed > start + timedelta(days=60):
            middle = start + timedelta(days=60)
            h.reflection_extend(
                start + timedelta(days=rng.randint(15, 29)),
                middle,
                choices.ExtensionReason.PREPARED_RETURN,
            )
            end = middle
            first_day = start + timedelta(days=45)
        else:
            first_day = start + timedelta(days=15)
        new_end = min(latest, departed + timedelta(days=rng.randint(0, 10)))
        h.reflection_extend(
            planning.between(rng, first_day, end), new_end, choices.ExtensionReason.PREPARED_RETURN
        )
    h.support_end_all(departed)
    h.return_depart(departed)
    until = rules.follow_up_until(departed)
    checks = [
        departed + timedelta(days=rng.randint(25, 45)),
        departed + timedelta(days=rng.randint(80, 100)),
    ]
    # A third contact before the last: none is left due for more than a few weeks.
    if rng.random() < 0.7:
        checks.append(departed + timedelta(days=rng.randint(140, 160)))
    else:
        checks.append(departed + timedelta(days=rng.randint(115, 130)))
    for day in checks:
        status = rng.choices(
            [
                choices.FollowUpStatus.ON_TRACK,
                choices.FollowUpStatus.DIFFICULTIES,
                choices.FollowUpStatus.NO_CONTACT,
            ],
            [70, 20, 10],
        )[0]
        h.follow_up_add(min(day, until), status)
    final = rng.choices(
        [
            choices.FollowUpStatus.COMPLETED,
            choices.FollowUpStatus.NO_CONTACT,
            choices.FollowUpStatus.DIFFICULTIES,
        ],
        [80, 10, 10],
    )[0]
    h.follow_up_add(until, final)
    h.close(until, choices.ClosingReason.RETURN_COMPLETED)


def _pending(h: History, rng: random.Random) -> None:
    slot = h.slot
    ref_on = slot.referred_on
    if slot.unassigned:
        return  # nobody has taken it yet
    if rng.random() < 0.4:
        h.support_add(
            planning.between(rng, ref_on, min(ref_on + timedelta(days=3), history_end())),
            choices.SupportType.ACCOMMODATION,
        )
    if slot.path == planning.PENDING_REFERRED:
        if rng.random() < 0.2:
            plan_day = planning.between(rng, ref_on, history_end())
            h.interview_cancel(
                planning.between(rng, plan_day, history_end()),
                h.interview_plan(plan_day, plan_day + timedelta(days=5)),
            )
        return
    if slot.path == planning.PENDING_INTERVIEWED:
        held = planning.between(rng, ref_on + timedelta(days=1), history_end())
        h.interview_record(held)
        after = held
    else:
        after = ref_on
    if slot.path == planning.PENDING_PLANNED or rng.random() < 0.3:
        plan_day = planning.between(rng, after, history_end())
        h.interview_plan(plan_day, plan_day + timedelta(days=rng.randint(3, 21)))
