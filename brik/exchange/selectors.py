"""Reads for the exports: the cases one may export, and their rows, streamed.

Rows are read in chunks (`iterator(chunk_size=...)`): one query streams the
cases' one-to-one fields, and per chunk one query each fetches the
multi-valued ones (forms of exploitation, citizenships) and, when the reader
may see them, the identity fields. Memory stays bounded whatever the number
of cases; there is no row cap.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import groupby, islice
from operator import itemgetter

from django.db import connections
from django.db.models import Case as Case_
from django.db.models import F, IntegerField, QuerySet, TextField, Value, When
from django.db.models.functions import Cast, Concat, Replace

from brik.accounts.permissions import cases_visible_to, field_visible
from brik.cases.models import Case, PersonIdentity
from brik.cases.selectors import cases_filtered
from brik.core.exports import csv_cell
from brik.exchange.models import ExportJob, SyntheticRelease

CHUNK_SIZE = 2000

# One row per case: (column, the value's path from Case).
CASE_FIELDS: list[tuple[str, str]] = [
    ("person_code", "person__code"),
    ("sequence", "sequence"),
    ("status", "status"),
    ("referred_on", "referred_on"),
    ("channel", "referral__channel"),
    ("referring_organisation", "referral__referring_organisation__name"),
    ("referring_organisation_type", "referral__referring_organisation__type"),
    ("police_district", "referral__police_district__name"),
    ("municipality", "referral__municipality"),
    ("urgency", "referral__urgency"),
    ("indicators", "referral__indicators"),
    ("interpreter_language", "referral__interpreter_language"),
    ("consent_to_share", "referral__consent_to_share"),
    ("has_legal_residence", "has_legal_residence"),
    ("contact_person", "assigned_to__username"),
    ("gender", "person__gender"),
    ("birth_year", "person__birth_year"),
    ("languages", "person__languages"),
    ("decided_on", "decided_on"),
    ("outcome", "outcome"),
    ("deciding_authority", "assessment__deciding_authority"),
    ("sexual_exploitation_type", "assessment__sexual_exploitation_type"),
    ("labour_sector", "assessment__labour_sector"),
    ("means_of_control", "assessment__means_of_control"),
    ("countries_of_exploitation", "assessment__countries_of_exploitation"),
    ("exploitation_from", "assessment__exploitation_from"),
    ("exploitation_to", "assessment__exploitation_to"),
    ("stay_basis", "stay_basis"),
    ("stay_from", "stay_from"),
    ("closed_on", "closed_on"),
    ("closing_reason", "closing_reason"),
]
IDENTITY_FIELDS = [
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "identity_documents",
]


def cases_for_export(*, user=None, filters: dict | None = None) -> QuerySet[Case]:
    """The cases `user` may export, filtered as the case list filters them.

    `user` None is the operator at the command line: every case.
    """
    if user is None:
        cases = Case.objects.all()
        if filters:
            raise ValueError("filters need a user (the case list's filters are per user)")
        return cases
    # The case list's own filtering, so an export is exactly the filtered list.
    cases = cases_filtered(user, filters or {}) if filters else cases_visible_to(user)
    # Filters that join multi-valued tables would repeat a case: one row each.
    return Case.objects.filter(pk__in=cases.values("pk"))


def identity_columns(user) -> list[str]:
    """The identity columns `user` may read (the operator at the command line: all)."""
    if user is None:
        return list(IDENTITY_FIELDS)
    return [name for name in IDENTITY_FIELDS if field_visible(user, PersonIdentity, name)]


def case_columns(identity: list[str]) -> list[str]:
    return ["case_code", *(name for name, _path in CASE_FIELDS), "forms", "citizenships", *identity]


def case_rows(
    *, cases: QuerySet[Case], identity: list[str], chunk_size: int = CHUNK_SIZE
) -> Iterator[dict]:
    """Every case of `cases` as a flat dict (see case_columns), streamed in chunks."""
    paths = ["pk", *(path for _name, path in CASE_FIELDS)]
    rows = cases.order_by("pk").values_list(*paths).iterator(chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        pks = [row[0] for row in chunk]
        forms = _multi(pks, "assessment__forms__form")
        citizenships = _multi(pks, "person__citizenships__country")
        identities = _identities(pks, identity) if identity else {}
        for pk, *values in chunk:
            row = dict(zip((name for name, _path in CASE_FIELDS), values, strict=True))
            row["case_code"] = Case.code_of(row["person_code"], row["sequence"])
            row["forms"] = forms.get(pk, [])
            row["citizenships"] = citizenships.get(pk, [])
            row.update(identities.get(pk, dict.fromkeys(identity, "")))
            yield row


# Columns the database is asked to give as CSV text already (no converter runs on a
# cast value): dates as ISO text, flags as 0/1, JSON lists as their JSON text.
_DATE_COLUMNS = {
    "referred_on",
    "decided_on",
    "exploitation_from",
    "exploitation_to",
    "stay_from",
    "closed_on",
}
_BOOLEAN_COLUMNS = {"consent_to_share", "has_legal_residence"}
_LIST_COLUMNS = {"indicators", "languages", "means_of_control", "countries_of_exploitation"}
BULK_CHUNK_SIZE = 4000


def _cell(name: str, path: str):
    """The column as the CSV shows it, computed by the database (no converter runs on it)."""
    if name in _DATE_COLUMNS:
        return Cast(path, TextField())
    if name in _BOOLEAN_COLUMNS:
        return Cast(path, IntegerField())
    if name in _LIST_COLUMNS:
        # A JSON list of codes, ["a", "b"], as a;b (codes hold no quotes or brackets).
        text = Cast(path, TextField())
        for old, new in (("[]", ""), ('["', ""), ('"]', ""), ('", "', ";"), ('","', ";")):
            text = Replace(text, Value(old), Value(new), output_field=TextField())
        return text
    return F(path)


def _case_code():
    """The person's code, with /N for the person's second and later cases."""
    return Case_(
        When(sequence=1, then=Cast("person__code", TextField())),
        default=Concat(
            Cast("person__code", TextField()),
            Value("/"),
            Cast("sequence", TextField()),
            output_field=TextField(),
        ),
        output_field=TextField(),
    )


def case_cells(
    *, cases: QuerySet[Case], identity: list[str], chunk_size: int = BULK_CHUNK_SIZE
) -> Iterator[list]:
    """Every case of `cases` as a list of CSV cells in case_columns' order, streamed fast.

    For bulk CSV: the case query runs on a raw (server-side on PostgreSQL)
    cursor and its values are used as the database gives them: the case code,
    dates, flags and lists of codes are made CSV text or numbers in SQL, so no
    converter runs per value and no model is built per row; NULL is an empty
    cell. The forms, the citizenships and, when asked, the identity columns
    come with one query each per chunk; identity values are decrypted a chunk
    at a time.
    """
    aliases = {"cell_case_code": _case_code()}
    aliases |= {f"cell_{name}": _cell(name, path) for name, path in CASE_FIELDS}
    query = cases.order_by("pk").annotate(**aliases).values_list("pk", *aliases)
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    blank = [""] * len(identity)
    with connections[query.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(chunk_size):
            first, last = chunk[0][0], chunk[-1][0]
            forms = _joined_range(first, last, "assessment__forms__form")
            citizenships = _joined_range(first, last, "person__citizenships__country")
            if identity:
                identities = _identity_cells([row[0] for row in chunk], identity)
                for row in chunk:
                    pk = row[0]
                    yield [
                        *row[1:],
                        forms.get(pk, ""),
                        citizenships.get(pk, ""),
                        *identities.get(pk, blank),
                    ]
            else:
                for row in chunk:
                    pk = row[0]
                    yield [*row[1:], forms.get(pk, ""), citizenships.get(pk, "")]


# --- the export's lines made by the database (no identity columns) -------------------

# One row's cells joined by the unit separator (no text Brik stores holds it), NULL as
# an empty cell, by the database. Brik runs on these two.
_JOIN_SQL = {"sqlite": "printf({fmt}, {cells})", "postgresql": "format({fmt}, {cells})"}
_SEPARATOR = "\x1f"
# A cell starting as a formula (or a number) would start, after the first cell.
_FORMULA_AFTER_SEPARATOR = re.compile("\x1f[=+\\-@|%\t\r]").search
_FORMULA_FIRST = frozenset("=+-@|%\t\r")


def case_csv_chunks(
    *, cases: QuerySet[Case], chunk_size: int = BULK_CHUNK_SIZE
) -> Iterator[tuple[int, str]]:
    """The cases as CSV lines (case_columns([]): no identity columns), joined by the database.

    The database gives each row as one text, its cells joined by the unit
    separator; a line with nothing that needs quoting or making safe (almost
    every line) only has the separators made commas, and any other line is
    split and each cell written as the bulk CSV writer writes it (a test holds
    the two paths equal). Python adds the forms and citizenships (one query
    each per chunk). Several times less work per row than `case_cells`.
    Yields (rows, their text) per chunk, the text ending with a line end; no header.
    """
    query = cases.order_by("pk")
    connection = connections[query.db]
    aliases = {"cell_case_code": _case_code()}
    aliases |= {f"cell_{name}": _cell(name, path) for name, path in CASE_FIELDS}
    inner = query.annotate(**aliases).values_list("pk", *aliases)
    sql, params = inner.query.get_compiler(using=inner.db).as_sql()
    line = _JOIN_SQL[connection.vendor].format(
        fmt="'" + _SEPARATOR.join(["%%s"] * len(aliases)) + "'",
        cells=", ".join(f"q.{alias}" for alias in aliases),
    )
    # The SQL is Brik's own (the query's aliases), the values are parameters.
    outer = f"SELECT q.pk, {line} FROM ({sql}) q ORDER BY q.pk"  # noqa: S608
    separators = len(aliases) - 1
    formula, first_char, separator = _FORMULA_AFTER_SEPARATOR, _FORMULA_FIRST, _SEPARATOR
    with connection.chunked_cursor() as cursor:
        cursor.execute(outer, params)
        while chunk := cursor.fetchmany(chunk_size):
            first, last = chunk[0][0], chunk[-1][0]
            forms = _safe_joined_range(first, last, "assessment__forms__form")
            citizenships = _safe_joined_range(first, last, "person__citizenships__country")
            lines = []
            for pk, text in chunk:
                # A quote, a comma or a line end anywhere, a cell starting as a formula,
                # or a text holding the separator: a careful look (plain tests: several
                # times a regex's speed).
                if (
                    '"' in text
                    or "," in text
                    or "\r" in text
                    or "\n" in text
                    or formula(text)
                    or text[:1] in first_char
                    or text.count(separator) != separators
                ):
                    text = _careful_line(pk, text, separators)
                else:
                    text = text.replace(separator, ",")
                lines.append(f"{text},{forms.get(pk, '')},{citizenships.get(pk, '')}\r\n")
            yield len(lines), "".join(lines)


def _careful_line(pk: int, text: str, separators: int) -> str:
    """A line whose cells need quoting or making safe, each written as the writer would."""
    if text.count(_SEPARATOR) != separators:
        # A stored text holds the separator itself: this case's cells read on their own.
        row = next(case_cells(cases=Case.objects.filter(pk=pk), identity=[]))
        cells = ["" if cell is None else str(cell) for cell in row[: separators + 1]]
    else:
        cells = text.split(_SEPARATOR)
    return ",".join([csv_cell(cell) for cell in cells])


def _safe_joined_range(first: int, last: int, path: str) -> dict[int, str]:
    """_joined_range's cells, each as the bulk CSV writer would write it."""
    return {pk: csv_cell(text) for pk, text in _joined_range(first, last, path).items()}


def cases_in_parts(cases: QuerySet[Case], parts: int) -> list[QuerySet[Case]]:
    """`cases` cut into at most `parts` ranges of primary keys with about as many cases each
    (one part, `cases` itself, when there are none or `parts` is 1)."""
    pks = cases.order_by("pk").values_list("pk", flat=True)
    total = pks.count() if parts > 1 else 0
    if total < 2:
        return [cases]
    parts = min(parts, total)
    starts = [pks[total * i // parts] for i in range(parts)]
    ends = [start - 1 for start in starts[1:]] + [pks[total - 1]]
    return [cases.filter(pk__gte=a, pk__lte=b) for a, b in zip(starts, ends, strict=True)]


def export_in_parts_possible(using: str = "default") -> bool:
    """Whether processes of their own can read what this one reads: not in a transaction
    (they would not see its writes) nor from a private in-memory SQLite database."""
    connection = connections[using]
    if connection.in_atomic_block:
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def bulk_read_without_mmap(using: str = "default") -> None:
    """For a one-pass read of every case (the export command) on SQLite: no memory map.

    Brik's SQLite connections map up to 1 GB of the database file into memory
    (brik.settings); a scan of every case would touch all of it, and the
    process's resident memory would grow with the database. Read with read()
    instead, and with a small page cache, for this connection (the command's
    process) only.
    """
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size=0")
            # Nor a 32 MB page cache: each page is read once (a few MB keep the small
            # tables the cases join, such as organisations and users, at hand).
            cursor.execute("PRAGMA cache_size=-4096")


def _joined_range(first: int, last: int, path: str) -> dict[int, str]:
    """_multi_range's values joined by `;`."""
    return {pk: ";".join(values) for pk, values in _multi_range(first, last, path).items()}


def _multi_range(first: int, last: int, path: str) -> dict[int, list[str]]:
    """The values at `path` of the cases with primary keys first..last (one query)."""
    pairs = (
        Case.objects.filter(pk__gte=first, pk__lte=last, **{f"{path}__isnull": False})
        .order_by("pk", path)
        .values_list("pk", path)
    )
    # Run on a raw cursor: the values are plain codes, so no converter is needed, and
    # Django's per-row iteration was most of the time at a million cases.
    sql, params = pairs.query.get_compiler(using=pairs.db).as_sql()
    with connections[pairs.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {pk: [value for _pk, value in group] for pk, group in groupby(rows, itemgetter(0))}


def _identity_cells(pks: list[int], names: list[str]) -> dict[int, list]:
    """The identity columns of these cases, decrypted (the field does it) once per chunk."""
    found = {}
    for pk, *values in PersonIdentity.objects.filter(person__cases__pk__in=pks).values_list(
        "person__cases__pk", *names
    ):
        found[pk] = [
            "" if v is None else v.isoformat() if hasattr(v, "isoformat") else v for v in values
        ]
    return found


def _multi(pks: list[int], path: str) -> dict[int, list[str]]:
    values = defaultdict(list)
    pairs = (
        Case.objects.filter(pk__in=pks, **{f"{path}__isnull": False})
        .order_by("pk", path)
        .values_list("pk", path)
    )
    for pk, value in pairs:
        values[pk].append(value)
    return values


def _identities(pks: list[int], names: list[str]) -> dict[int, dict]:
    found = {}
    rows = PersonIdentity.objects.filter(person__cases__pk__in=pks).values_list(
        "person__cases__pk", *names
    )
    for pk, *values in rows:
        found[pk] = {n: ("" if v is None else v) for n, v in zip(names, values, strict=True)}
    return found


# --- background exports and synthetic releases ----------------------------------------


def export_jobs_of(user) -> QuerySet[ExportJob]:
    """The background exports `user` asked for (nobody reaches another person's)."""
    return ExportJob.objects.filter(requested_by=user).select_related("export")


def synthetic_releases() -> QuerySet[SyntheticRelease]:
    return SyntheticRelease.objects.defer("data_csv", "report")


def synthetic_file(release: SyntheticRelease, name: str) -> bytes:
    """One file of a release as stored: the data, or the utility report (JSON, Markdown)."""
    stored = SyntheticRelease.objects.get(pk=release.pk)
    if name == "data.csv":
        return bytes(stored.data_csv)
    if name == "utility.json":
        return json.dumps(stored.report, indent=2, ensure_ascii=False).encode("utf-8")
    return stored.report_markdown.encode("utf-8")


# --- the CTDC-style file ------------------------------------------------------------------


def ctdc_export(*, cases: QuerySet[Case], k: int):
    """The plan (generalisations, suppressions) and the k-anonymised CTDC rows, streamed.

    Cases found not to be victims are left out: CTDC collects victims (presumed
    and identified). The cases are read twice: once to count the combinations
    of quasi-identifiers, once to write the rows through the plan.
    """
    from collections import Counter

    from brik.core.choices import Outcome
    from brik.exchange import ctdc, kanon

    victims = cases.exclude(outcome=Outcome.NOT_IDENTIFIED)
    counts = Counter(
        kanon.key(ctdc.from_case(row)) for row in case_rows(cases=victims, identity=[])
    )
    plan = kanon.plan(counts, k)

    def rows() -> Iterator[dict]:
        for row in case_rows(cases=victims, identity=[]):
            values = plan.apply(ctdc.from_case(row))
            if values is not None:
                yield values

    return plan, rows()
