"""The demo made on two cores: one process makes the rows, the other writes them.

`brik demo` at a million persons spends about half its time making rows (the
histories, the search tokens, the action log's entries) and half writing them
(SQLite's inserts, the identity fields' encryption, the action log's chain). One
process can do only one at a time; with two, the making runs ahead of the writing.

    summary = made_apart(make, keyed=models, stages=stages)

runs `make(stages, writer)` in a forked process, with a `Forwarder` for a writer:
it hands out the primary keys (from the counters the writing process read before
the fork), turns the rows into the database's values as `Writer` does, but
instead of writing them sends them through a pipe, in order, with the progress
and the index and sequence steps. This process, the one in the demo's
transaction, writes them with a plain `Writer` and returns `make`'s summary. The
rows, keys and action-log entries are the ones a single process makes
(brik/demo/tests/test_processes.py compares them); the data stays in memory
between the two processes, never in a file.

The making process never touches the database: its connection belongs to the
writing process (a query there would run on the other's connection, outside its
transaction), so every query in it raises at once. An error in it reaches
the writing process as the same exception, with the other's traceback as a note,
and the demo's transaction is rolled back; so does a making process that dies.
The pipe holds at most a message, so the making process waits for a slow writer
and never piles up rows in memory.
"""

import multiprocessing
import pickle
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import connections, models
from django.utils.translation import gettext as _

from brik.demo.writer import Writer, audit_content

# Rows kept at most before they are sent: more than a batch of persons makes (about 50
# a person, generator.PERSONS_PER_BATCH), less than the cooperation stage's.
PENDING_ROWS = 40_000


class MakingProcessFailed(Exception):
    """The process making the demo's rows ended without finishing them."""


def made_apart(make: Callable, *, keyed: Iterable[type[models.Model]], stages) -> object:
    """`make(stages, writer)` run in another process and its rows written by this one.

    `keyed` are the models whose rows `make` inserts as instances (their primary
    keys are counted from this database before the fork); `stages` is this
    process's progress (brik.demo.generator._Stages). Returns what `make` returned.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    maker = Forwarder(Channel(sender))
    for model in keyed:
        maker.prime(model)
    # The child would flush a copy of anything still buffered here when it ends.
    sys.stdout.flush()
    sys.stderr.flush()
    process = context.Process(target=_make, args=(make, maker), name="brik demo rows", daemon=True)
    process.start()
    sender.close()
    try:
        return _write(receiver, stages)
    except BaseException:
        process.kill()
        raise
    finally:
        process.join()
        receiver.close()


# --- the making process ------------------------------------------------------------------


class Channel:
    """The pipe to the writing process, a batch at a time.

    Messages are kept until the end of a step of progress (a batch of persons) and
    then sent as one: a send waits until the writing process takes it, so messages
    sent one by one would keep the making process waiting while the batch's rows are
    written, and the two processes would take turns instead of working together.
    More than PENDING_ROWS rows are sent at once (the cooperation stage makes all its
    outreach and its action-log entries in one step).
    """

    def __init__(self, sender):
        self.sender = sender
        self.pending: list[tuple] = []
        self.rows = 0

    def put(self, message: tuple, rows: int = 0) -> None:
        self.pending.append(message)
        self.rows += rows
        if self.rows > PENDING_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.sender.send(self.pending)
            self.pending, self.rows = [], 0

    def close(self) -> None:
        self.sender.close()


class Forwarder(Writer):
    """A writer that sends what it would write to the writing process (see the module)."""

    encrypts = False  # the writing process encrypts (Writer.insert_rows)

    def __init__(self, channel: Channel):
        super().__init__()
        self.channel = channel

    def prime(self, model: type[models.Model]) -> None:
        """Read where the model's primary keys start: before the fork only."""
        Writer._allocate(self, model, 0)

    def _allocate(self, model: type[models.Model], count: int) -> int:
        if model not in self._next_pk:
            raise RuntimeError(f"{model.__name__}: no primary keys counted before the fork")
        return super()._allocate(model, count)

    def _execute(self, model, columns, rows: list[tuple]) -> None:
        if rows:
            self.channel.put(("rows", _label(model), list(columns), rows), len(rows))

    def insert_tuples(self, model, attnames, rows) -> None:
        rows = list(rows)
        if rows:
            self.channel.put(("tuples", _label(model), tuple(attnames), rows), len(rows))

    def _audit_part(self, records) -> None:
        self.channel.put(("audit", audit_content(records)), len(records))

    @contextmanager
    def indexes_deferred(self, *tables: type[models.Model]) -> Iterator[None]:
        self.channel.put(("defer", [_label(t) for t in tables]))
        yield
        self.channel.put(("restore",))

    def reset_sequences(self) -> None:
        self.channel.put(("reset",))


class ForwardedStages:
    """The progress of the making process, shown by the writing one: each step of
    progress sends what was made before it."""

    def __init__(self, channel: Channel):
        self.channel = channel

    @contextmanager
    def stage(self, title: str, total: int | None = None) -> Iterator[Callable]:
        self.channel.put(("stage", str(title), total))

        def advance(n: int = 1) -> None:
            self.channel.put(("advance", n))
            self.channel.flush()

        yield advance
        self.channel.put(("end",))
        self.channel.flush()


def _make(make: Callable, maker: Forwarder) -> None:
    for connection in connections.all():
        connection.execute_wrappers.append(_no_query)
    channel = maker.channel
    try:
        summary = make(ForwardedStages(channel), maker)
        channel.put(("done", summary))
    except BaseException as exc:  # every error goes to the writing process
        channel.pending = [("error", _picklable(exc), traceback.format_exc())]
    finally:
        channel.flush()
        channel.close()


def _label(model: type[models.Model]) -> str:
    # Models go through the pipe by name: a many-to-many table's model is made by Django
    # and cannot be pickled.
    return model._meta.label_lower


def _no_query(execute, sql, params, many, context):
    raise RuntimeError(
        "The process making the demo's rows may not use the database (the connection is "
        f"the writing process's): {sql[:200]}"
    )


def _picklable(exc: BaseException) -> BaseException:
    try:
        return pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own exception, our own pipe
    except Exception:  # any exception that does not pickle is sent as text
        return RuntimeError(f"{type(exc).__name__}: {exc}")


# --- the writing process -------------------------------------------------------------------


def _write(receiver, stages) -> object:
    writer = Writer()
    deferred = []
    shown = []  # (stage, advance) of the stages begun and not ended
    for message in _messages(receiver):
        kind = message[0]
        if kind == "rows":
            writer.insert_rows(apps.get_model(message[1]), *message[2:])
        elif kind == "tuples":
            writer.insert_tuples(apps.get_model(message[1]), *message[2:])
        elif kind == "audit":
            writer.audit_content(message[1])
        elif kind == "stage":
            stage = stages.stage(message[1], message[2])
            shown.append((stage, stage.__enter__()))
        elif kind == "advance":
            shown[-1][1](message[1])
        elif kind == "end":
            shown.pop()[0].__exit__(None, None, None)
        elif kind == "defer":
            indexes = writer.indexes_deferred(*map(apps.get_model, message[1]))
            indexes.__enter__()
            deferred.append(indexes)
        elif kind == "restore":
            deferred.pop().__exit__(None, None, None)
        elif kind == "reset":
            writer.reset_sequences()
        elif kind == "done":
            return message[1]
        elif kind == "error":
            exc, text = message[1], message[2]
            exc.add_note(f"In the process making the demo's rows:\n{text}")
            raise exc
        else:
            raise MakingProcessFailed(f"Unknown message from the making process: {kind!r}")
    raise AssertionError("unreachable: _messages ends only by raising")


def _messages(receiver) -> Iterator[tuple]:
    while True:
        try:
            batch = receiver.recv()
        except EOFError:
            raise MakingProcessFailed(
                _("The process making the demo's rows ended before it finished them.")
            ) from None
        # Each message let go once written: a batch's rows are not all held to its end.
        batch.reverse()
        while batch:
            yield batch.pop()
