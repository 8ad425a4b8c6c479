"""Synthetic demo data of a national anti-trafficking centre, 2019 to today.

    from brik.demo.generator import generate
    summary = generate(seed=2021)            # the calibrated set (brik.demo.calibration)
    summary = generate(seed=7, persons=3000)  # every year's figures scaled
    summary = generate(today=date(2026, 3, 10))  # as if made on that day

2019-2024 reproduce the centre's published figures; the years after them up to
today are synthetic, and the history ends today (calibration.history_end), so
deadlines, planned interviews and new referrals fall around the day the demo
is made. The same seed and the same today give the same data. No person in it
is real.

How it is written, and why not through the services
-----------------------------------------------------
Only on a demo's own database
------------------------------
The demo makes logins whose password is published. So it never touches what
it did not make: generate() refuses unless the database is empty (no
organisation, user, person, case, cooperation record, published report or
subscription at all), every record it makes is marked (brik.demo.models.DemoRecord),
and flush() deletes only a database that holds nothing but marked demo data.
Each run gives the demo logins new random authenticator keys and recovery
codes (Summary.logins); the command writes them to the login sheet. The
command refuses everything when BRIK_DEBUG=False.

Organisations and users are created through brik.accounts.services. The cases
and the cooperation records are not: calling brik.cases.services step by step
would take a dozen queries per step, and the services refuse dates other than
today's world (they check "not in the future" against the real clock, which
is right for users and wrong for a replayed history). Instead
brik.demo.history replays each case's steps in plain Python with the same
transitions (brik.cases.workflow.is_allowed is asserted at every step), the same
fields and milestone dates and the same action-log entries as the services,
and brik.demo.writer bulk-creates the rows. The tests in brik/demo/tests prove
that the result satisfies the models' validation and the services' invariants
(status against milestones, deciding authority against legal residence,
reflection periods of 30 to 120 days, follow-up until departure + 6 months,
one open case per person, ...). Bulk writing skips save() and signals; Brik
keeps no logic there. With `processes=2` (what `brik demo` uses on two cores)
everything after the logins runs in a second process that makes the rows and
sends them to this one to write (brik.demo.processes): the same rows, keys and
action log, in about half the time.

Longer than 400 lines on purpose: the order of the generation (organisations and
logins, the plan calibrated to the published years, persons and their cases,
outreach, prosecutions and the action plan) is read top to bottom here.
"""

import gc
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from brik.accounts import services as accounts
from brik.accounts.models import Organisation, User
from brik.accounts.permissions import two_factor_required
from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.audit.services import log_action
from brik.cases import models as cases
from brik.cases.models import Case
from brik.cooperation import models as coop
from brik.demo import calibration, cooperation, history, planning, records, referrals, writer
from brik.demo import reference as ref
from brik.demo.models import DemoRecord
from brik.demo.processes import made_apart
from brik.search.models import PersonSearchToken
from brik.statistics import changes as statistics_changes
from brik.statistics.models import KeptCount, PersonChange, PublishedReport, Subscription

DEFAULT_SEED = 2021
PERSONS_PER_BATCH = 500  # docs/performance.md: 2,000 took more time and memory
# The tables the persons' stage fills that have plain indexes (the cases alone have 17):
# those are made once after the load (Writer.indexes_deferred), not row by row in
# random order.
PERSON_STAGE_TABLES = (
    ActionLog,
    PersonSearchToken,
    cases.PersonIdentity,
    cases.PersonCitizenship,
    Case,
    cases.Referral,
    cases.Interview,
    cases.Interview.interviewers.through,
    cases.Assessment,
    cases.ExploitationForm,
    cases.ReflectionPeriod,
    cases.ReflectionExtension,
    cases.SupportMeasure,
    cases.PreparedReturn,
    cases.FollowUp,
)
# Recovery codes per demo login written on the login sheet (of the ten each has).
SHEET_RECOVERY_CODES = 3

# The kinds of record the demo makes and marks. A record of these kinds without
# a mark was made by someone else, and then the demo does nothing.
MARKED = (
    Organisation,
    User,
    cases.Person,
    Case,
    coop.JointAction,
    coop.OutreachLog,
    coop.ProsecutionCase,
    coop.ActionPlan,
)
# Kinds the demo never makes: any record of them is someone else's.
NEVER_DEMO = (PublishedReport, Subscription)

# Emptied leaf first (SQLite checks the foreign keys at the end of the transaction anyway).
FLUSH_ORDER = (
    ActionLog,
    coop.IndicatorMeasurement,
    coop.PlanIndicator,
    coop.Milestone,
    coop.Initiative,
    coop.FocusArea,
    coop.ActionPlan,
    coop.ProsecutionCase.victims.through,
    coop.ProsecutionCase,
    coop.OutreachLog,
    cases.FollowUp,
    cases.PreparedReturn,
    cases.SupportMeasure,
    cases.ReflectionExtension,
    cases.ReflectionPeriod,
    cases.ExploitationForm,
    cases.Assessment,
    cases.Interview.interviewers.through,
    cases.Interview,
    cases.Referral,
    coop.JointAction.participants.through,
    coop.JointAction,
    cases.Case,
    cases.PersonCitizenship,
    PersonSearchToken,
    cases.PersonIdentity,
    cases.Person,
)


class DatabaseNotEmpty(Exception):
    """The database already holds records: the demo is made only on an empty one."""


class NotOnlyDemoData(Exception):
    """The database holds records the demo did not make: the demo leaves them alone."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str
    key: str  # base32 authenticator (TOTP) key, random per run; "" without a second factor
    recovery_codes: tuple[str, ...]


@dataclass
class Summary:
    seed: int
    plan: calibration.Plan
    persons: int
    cases: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    logins: list[DemoLogin] = field(default_factory=list)
    today: date | None = None

    @property
    def figures(self) -> dict[int, calibration.YearFigures]:
        return self.plan.figures


def _label(model) -> str:
    return model._meta.label_lower


def foreign_records() -> dict[str, int]:
    """Records the demo did not make, by kind (verbose plural name): empty on a demo database."""
    found = {}
    for model in MARKED:
        marked = DemoRecord.objects.filter(model=_label(model)).values("object_id")
        count = model.objects.exclude(pk__in=marked).count()
        if count:
            found[str(model._meta.verbose_name_plural)] = count
    for model in NEVER_DEMO:
        count = model.objects.count()
        if count:
            found[str(model._meta.verbose_name_plural)] = count
    return found


def is_installed() -> bool:
    """Has the demo been made in this database (and not flushed since)?"""
    return DemoRecord.objects.filter(model=_label(User)).exists()


def has_data() -> bool:
    """True unless the database is empty of every kind of record the demo makes or refuses."""
    return any(model.objects.exists() for model in (*MARKED, *NEVER_DEMO))


def describe(found: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in found.items())


@transaction.atomic
def flush() -> None:
    """Delete the demo: its cases, cooperation records, action log, logins and organisations.

    A development tool (the command refuses it when BRIK_DEBUG=False). Refuses
    (NotOnlyDemoData) unless everything of the kinds the demo makes carries the
    demo's mark, so it can only ever delete demo data. The action log is
    append-only for the application, so the tables are emptied with plain SQL,
    as Django's own `flush` command does, not through the ORM.
    """
    found = foreign_records()
    if found:
        raise NotOnlyDemoData(describe(found))
    quote = connection.ops.quote_name
    with transaction.atomic():
        # The statistics' change triggers left out (a mark per deleted row), and the
        # report's kept counts dropped with the data they counted.
        statistics_changes.remove()
        with connection.cursor() as cursor:
            for model in FLUSH_ORDER:
                cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608
        for model in (User, Organisation):
            marked = DemoRecord.objects.filter(model=_label(model)).values("object_id")
            model.objects.filter(pk__in=marked).delete()
        DemoRecord.objects.all().delete()
        KeptCount.objects.all().delete()
        PersonChange.objects.all().delete()
        statistics_changes.install()


def _mark_everything() -> None:
    """Mark every record of the demo's kinds: called at the end of a run on an empty database.

    One INSERT ... SELECT per kind: a million persons' marks never pass through Python.
    """
    quote = connection.ops.quote_name
    made = DemoRecord._meta.get_field("created_at").get_db_prep_value(timezone.now(), connection)
    with connection.cursor() as cursor:
        for model in MARKED:
            pk = model._meta.pk
            assert pk is not None
            assert pk.column is not None
            cursor.execute(
                f"INSERT INTO {quote(DemoRecord._meta.db_table)} "  # noqa: S608 - model names
                f"({quote('model')}, {quote('object_id')}, {quote('created_at')}) "
                f"SELECT %s, {quote(pk.column)}, %s "
                f"FROM {quote(model._meta.db_table)}",
                [_label(model), made],
            )


# --- organisations and users -------------------------------------------------------------


def create_organisations() -> dict[str, Organisation]:
    """Create the demo's organisations (the database holds none: see generate())."""
    result = {}
    for spec in ref.ORGANISATIONS:
        result[spec.name] = accounts.organisation_create(
            actor=None,
            name=spec.name,
            type=spec.type,
            short_name=spec.short_name,
            country=spec.country,
            region=spec.region,
        )
    return result


def create_users(organisations: dict[str, Organisation]) -> dict[str, User]:
    """Create the demo logins, all with the demo password (the database holds no user)."""
    result = {}
    for spec in ref.DEMO_USERS:
        user = accounts.user_create(
            actor=None,
            username=spec.username,
            password=None,
            organisation=organisations[spec.organisation],
            role=spec.role,
            first_name=spec.first_name,
            last_name=spec.last_name,
            is_staff=spec.is_staff,
            is_superuser=spec.is_superuser,
        )
        validate_password(ref.DEMO_PASSWORD, user)
        result[spec.username] = user
    # One hash for all: hashing costs a quarter of a second each, and the
    # password is published anyway. The same entry as user_set_password.
    hashed = make_password(ref.DEMO_PASSWORD)
    User.objects.filter(pk__in=[u.pk for u in result.values()]).update(password=hashed)
    for user in result.values():
        user.password = hashed
        log_action(
            actor=None, action=AuditEvent.USER_PASSWORD_SET, obj=user, data={"password_login": True}
        )
    return result


def second_factors(users: dict[str, User]) -> list[DemoLogin]:
    """A new random authenticator key and new recovery codes for each demo login that needs
    them: nobody can compute them from the source, and each install has its own."""
    logins = []
    for spec in ref.DEMO_USERS:
        user = users[spec.username]
        key, codes = "", ()
        if two_factor_required(user):
            key = accounts.totp_device_ensure(user=user).secret
            codes = tuple(accounts.recovery_codes_generate(user=user)[:SHEET_RECOVERY_CODES])
        logins.append(
            DemoLogin(
                username=spec.username,
                role=spec.role,
                organisation=spec.organisation,
                key=key,
                recovery_codes=codes,
            )
        )
    return logins


# --- progress ------------------------------------------------------------------------------


class _Stages:
    """One rich progress bar per stage, or nothing."""

    def __init__(self, progress: Progress | None):
        self.progress = progress

    @contextmanager
    def stage(self, title: str, total: int | None = None) -> Iterator:
        if self.progress is None:
            yield lambda n=1: None
            return
        task = self.progress.add_task(title, total=total or 1)
        yield lambda n=1: self.progress.advance(task, n)
        self.progress.update(task, completed=total or 1)


def make_progress(console=None) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description:<34}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


# --- the whole run ---------------------------------------------------------------------------


def generate(
    *,
    seed: int = DEFAULT_SEED,
    persons: int | None = None,
    today: date | None = None,
    progress: bool | Progress = False,
    processes: int = 1,
) -> Summary:
    """Fill an empty database with the demo; returns what was made, with the new logins.

    The demo's history ends on `today` (default: the real today): its last year is
    today's, its deadlines fall around today. Raises DatabaseNotEmpty if the
    database holds any organisation, user, case, cooperation record, published
    report or subscription (see flush()), ValueError for an impossible size or a
    today inside the calibrated years.

    `processes=2` makes the rows in a second process while this one writes them
    (brik.demo.processes: about half the time on two cores, the same data); `brik demo`
    does so on a computer with more than one core.
    """
    started = time.monotonic()
    today = today or timezone.localdate()
    bar = make_progress() if progress is True else progress or None
    with (
        bar or nullcontext(),
        calibration.today_is(today),
        _young_collections_only(),
        _sorting_on_disk(),
        _rollback_journal(),
        transaction.atomic(),
    ):
        if has_data():
            raise DatabaseNotEmpty(
                _("The database is not empty: the demo is made only on an empty one.")
            )
        # The statistics' change triggers (brik.statistics.changes) would mark a slice for
        # every row written: they are left out of the load, and made again after it,
        # which marks every slice once.
        statistics_changes.remove()
        summary = _generate(seed, persons, _Stages(bar), processes)
        _mark_everything()
        statistics_changes.install()
    summary.seconds = time.monotonic() - started
    summary.today = today
    return summary


@contextmanager
def _rollback_journal(db=connection) -> Iterator[None]:
    """SQLite's rollback journal for the run instead of its write-ahead log, when no other
    connection has the database open.

    The demo is one transaction on an empty database. In WAL mode every page it writes
    goes to the log first (gigabytes at a million persons), each page read looks through
    the log's index of the whole transaction so far, and after the commit every page is
    copied again into the database. A rollback journal keeps only the pages that existed
    before (an empty database's few): the pages go straight to the file. SQLite changes
    the mode only outside a transaction and only with the database to itself: within a
    test's transaction, or with a server's connection open, the run stays in WAL mode
    (without waiting for the other connection). WAL comes back after the run (and every
    new connection of Brik's asks for it, settings.py). The cost: a connection opened
    during the run cannot read until it ends (in WAL mode it would read the empty
    database); `brik demo` is a development command, run before the server.
    """
    if db.vendor != "sqlite" or db.in_atomic_block:
        yield
        return
    saved = _journal_mode(db, "DELETE")
    if saved is None:
        yield
        return
    try:
        # Pages written to the file itself would be read back through Brik's memory map
        # (settings.py) and count as the process's memory: read with read() for the run.
        with _pragma_for_the_run(db, "mmap_size", 0):
            yield
    finally:
        _journal_mode(db, saved)


def _journal_mode(db, mode: str) -> str | None:
    """Set SQLite's journal mode if the database is ours alone at once; the mode it had,
    or None when it could not be changed."""
    with db.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout")
        (timeout,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout=0")
        try:
            cursor.execute(f"PRAGMA journal_mode={mode}")
        except OperationalError:
            return None  # another connection has the database open: leave it as it is
        finally:
            cursor.execute(f"PRAGMA busy_timeout={int(timeout)}")
    return before


@contextmanager
def _sorting_on_disk() -> Iterator[None]:
    """SQLite's sorts in temporary files for the run, not in memory.

    Brik's connections keep temporary storage in memory (settings.py), and the
    indexes made again after the load (Writer.indexes_deferred) sort every row of
    the action log and the search tokens: at 1,000,000 persons that held about
    1.3 GB and doubled the run's peak (at 100,000: 440 -> 342 MB, docs/performance.md).
    SQLite lets the setting change only outside a transaction: within one (a test's),
    it stays. The sorts use a helper thread per core: while the indexes are made the
    process making the rows (brik.demo.processes) has nothing to do, and at a million
    persons the action log's largest index takes 8 s instead of 12.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with (
        _pragma_for_the_run(connection, "temp_store", 1),  # 1: FILE
        _pragma_for_the_run(connection, "threads", sorting_threads()),
    ):
        yield


def sorting_threads() -> int:
    """SQLite's helper threads for the run's sorts: one a core, up to four."""
    return max(1, min(os.cpu_count() or 1, 4))


@contextmanager
def _pragma_for_the_run(db, name: str, value: int) -> Iterator[None]:
    """A numeric SQLite setting of the connection changed for the run and given back."""
    with db.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        (saved,) = cursor.fetchone()
        cursor.execute(f"PRAGMA {name}={int(value)}")
    try:
        yield
    finally:
        with db.cursor() as cursor:
            cursor.execute(f"PRAGMA {name}={int(saved)}")


@contextmanager
def _young_collections_only() -> Iterator[None]:
    """The cyclic garbage collector off for the run, the young objects collected per batch.

    The demo makes no reference cycles (test_memory.py checks it; the histories drop
    their steps' closures once played), so its garbage goes by reference counting.
    Left on, the collector scans the whole heap again and again as the run's
    objects pile up (full collections cost about a sixth of the CPU at 5,000
    persons). `gc.collect(1)` after each batch still frees, at the cost of the
    batch's survivors, any cycle a later change introduces within a batch.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _generate(seed: int, persons: int | None, stages: _Stages, processes: int) -> Summary:
    with stages.stage(_("Organisations and demo logins"), 2) as advance:
        orgs = create_organisations()
        advance()
        users = create_users(orgs)
        logins = second_factors(users)
        advance()

    def make(stages, out: writer.Writer) -> Summary:
        return _make_rows(seed, persons, orgs, users, stages, out)

    if processes > 1:
        summary = made_apart(make, keyed=FLUSH_ORDER, stages=stages)
    else:
        summary = make(stages, writer.Writer())
    summary.logins = logins
    return summary


def _make_rows(seed: int, persons: int | None, orgs, users, stages, out: writer.Writer) -> Summary:
    """Everything after the logins: planned, built and handed to `out` to write.

    Touches the database only through `out`: with two processes this runs in the one
    that makes the rows (brik.demo.processes)."""
    with stages.stage(_("Planning the cases"), 2) as advance:
        plan = calibration.scaled_figures(persons, calibration.history_end())
        slots = planning.plan_cases(plan, seed)
        advance()
        actions = cooperation.plan_joint_actions(seed, plan.factor)
        referrals.plan_referrals(seed, slots, actions)
        referrals.assign_caseworkers(seed, slots)
        planning.share_dates(slots)
        advance()
    tz = ZoneInfo(settings.TIME_ZONE)
    rows: dict[str, int] = {}

    def count(name: str, n: int) -> None:
        rows[name] = rows.get(name, 0) + n

    action_rows, participants, audit = cooperation.joint_action_rows(seed, actions, orgs, users, tz)
    out.insert(action_rows)
    out.through(
        coop.JointAction.participants.through, "jointaction_id", "organisation_id", participants
    )
    out.audit(audit)
    count("joint actions", len(action_rows))

    ctx = history.Context(seed=seed, organisations=orgs, users=users, tz=tz)
    ctx.joint_actions = dict(enumerate(action_rows))
    # The cases in the order of their persons' codes, each person's in sequence: a person's
    # cases lie side by side (a code is one person's). Not a list per person: a million
    # of them held about 90 MB through the whole stage.
    ordered = sorted(slots, key=lambda s: (s.code, s.sequence))
    persons = 1 + sum(a.person != b.person for a, b in pairwise(ordered)) if ordered else 0
    with (
        stages.stage(_("Persons and their cases"), persons) as advance,
        out.indexes_deferred(*PERSON_STAGE_TABLES),
    ):
        for batch in _persons_in_batches(ordered, PERSONS_PER_BATCH):
            made = records.Rows()
            built = [(slot, history.build(slot, ctx, made)) for group in batch for slot in group]
            out.case_rows(made)
            out.audit(made.audit)
            for slot, h in built:
                slot.case_pk = h.case.pk
            for name, objects in vars(made).items():
                count(name, len(objects))
            ctx.persons.clear()
            del made, built
            gc.collect(1)  # see _young_collections_only
            advance(len(batch))

    with stages.stage(_("Outreach, prosecution, action plan"), 3) as advance:
        logs, audit = cooperation.outreach_rows(seed, plan.factor, slots, orgs, users, tz)
        out.insert(logs)
        out.audit(audit)
        count("outreach logs", len(logs))
        advance()
        prosecutions, audit = cooperation.prosecution_rows(seed, plan.factor, slots, orgs, tz)
        _write_prosecutions(out, prosecutions, audit)
        count("prosecution cases", len(prosecutions))
        advance()
        yearly = _yearly_indicators(slots, actions, logs, prosecutions)
        previous_plan = cooperation.previous_plan_rows(orgs, users, tz)
        made_plan = cooperation.action_plan_rows(seed, yearly, orgs, users, tz)
        for made in (previous_plan, made_plan):
            for objects in (
                [made.plan],
                made.focus_areas,
                made.initiatives,
                made.milestones,
                made.indicators,
                made.measurements,
            ):
                if objects:
                    out.insert(objects)
            out.audit(made.audit)
        out.reset_sequences()
        advance()
    return Summary(seed=seed, plan=plan, persons=persons, cases=len(slots), rows=rows)


def _persons_in_batches(
    ordered: list[planning.Slot], size: int
) -> Iterator[list[list[planning.Slot]]]:
    """Batches of `size` persons (the last may be smaller), each person a list of its
    cases, from cases ordered so that each person's lie side by side."""
    batch: list[list[planning.Slot]] = []
    for slot in ordered:
        if batch and batch[-1][0].person == slot.person:
            batch[-1].append(slot)
            continue
        if len(batch) == size:
            yield batch
            batch = []
        batch.append([slot])
    if batch:
        yield batch


def _write_prosecutions(out: writer.Writer, prosecutions: list, audit: list) -> None:
    out.insert([p.row for p in prosecutions])
    links = []
    for planned in prosecutions:
        for slot in planned.victims:
            case = records.Saved(slot.case_pk)
            links.append((planned.row, case))
            day = max(planned.row.opened_on, slot.decided_on)
            audit.append(
                records.AuditRecord(
                    planned.row.created_at.replace(
                        year=day.year, month=day.month, day=day.day, hour=14
                    ),
                    None,
                    AuditEvent.PROSECUTION_VICTIM_LINKED,
                    planned.row,
                    case,
                    {"outcome": slot.outcome},
                )
            )
    out.through(coop.ProsecutionCase.victims.through, "prosecutioncase_id", "case_id", links)
    out.audit(audit)


def _yearly_indicators(slots, actions, logs, prosecutions) -> dict[str, dict[int, int]]:
    """The action plan's indicators per year, counted from what was generated."""
    years = calibration.demo_years()
    yearly = {key: dict.fromkeys(years, 0) for key in cooperation.INDICATORS}
    for slot in slots:
        if slot.outcome == planning.IDENTIFIED:
            yearly["identified"][slot.year] += 1
        if slot.departed_on and slot.departed_on <= calibration.history_end():
            yearly["returns"][slot.departed_on.year] += 1
    for action in actions:
        if action.held:
            yearly["joint_actions"][action.planned_for.year] += 1
    for log in logs:
        yearly["outreach"][log.held_on.year] += log.women + log.men + log.trans + log.unknown
    for planned in prosecutions:
        row = planned.row
        if row.charged_on and "262a" in row.charges:
            yearly["charges"][row.charged_on.year] += 1
    return yearly
