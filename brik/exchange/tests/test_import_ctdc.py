"""brik import_ctdc: CTDC's real k-anonymised sample, and files with problems."""

import csv
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.cases.models import Case
from brik.exchange import services
from brik.exchange.models import ExternalRecord, ImportBatch, Source
from brik.exchange.tests.conftest import CTDC_SAMPLE

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("import_ctdc", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def _independent_counts(path) -> dict[str, Counter]:
    """Counted with the csv module alone, not with Brik's reader."""
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file, delimiter=";"))
    header, rows = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    gender = {"Female": "woman", "Male": "man", "": "(missing)"}

    def count(name, translate=lambda v: v or "(missing)"):
        return Counter(translate(row[col[name]]) for row in rows)

    counts = {
        "rows": len(rows),
        "year": count("yearOfRegistration"),
        "gender": count("gender", gender.__getitem__),
        "age_band": count("ageBroad"),
        "citizenship": count("citizenship"),
        "country_of_exploitation": count("CountryOfExploitation"),
    }
    flags = [name for name in header if name.startswith("is") and name != "isAbduction"]
    answer = {"1": "yes", "0": "no", "": "(missing)"}
    counts["exploitation"] = {flag: count(flag, answer.__getitem__) for flag in flags}
    return counts


def test_the_real_ctdc_sample_imports_completely(ctdc_sample):
    result = services.records_import(actor=None, path=ctdc_sample, source=Source.CTDC)

    assert result.report.rows == 1023
    assert ExternalRecord.objects.count() == 1023
    batch = ImportBatch.objects.get()
    assert (batch.source, batch.rows, batch.file_name) == ("ctdc", 1023, ctdc_sample.name)
    assert batch.sha256 == services.file_sha256(ctdc_sample)
    assert set(ExternalRecord.objects.values_list("source", flat=True)) == {"ctdc"}


def test_the_report_equals_an_independent_count_of_the_file(ctdc_sample):
    expected = _independent_counts(ctdc_sample)

    report = services.records_import(actor=None, path=ctdc_sample, source=Source.CTDC).report

    assert report.rows == expected["rows"]
    assert {str(k): n for k, n in report.year.items()} == expected["year"]
    assert report.gender == expected["gender"]
    assert report.age_band == expected["age_band"]
    assert report.citizenship == expected["citizenship"]
    assert report.country_of_exploitation == expected["country_of_exploitation"]
    assert report.exploitation == expected["exploitation"]


def test_a_dry_run_reports_what_would_be_imported_and_writes_nothing(ctdc_sample):
    output = _run(ctdc_sample, "--dry-run")

    assert "Would import 1023 records" in output
    assert "citizenship: (missing): 463, AF: 16" in output
    assert not ImportBatch.objects.exists()
    assert not ExternalRecord.objects.exists()


def _spoil(path, changes: dict[int, tuple[str, str]]) -> None:
    """Replace, on given lines (1 = header), one text by another."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, (old, new) in changes.items():
        assert old in lines[number - 1]
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def test_a_dry_run_lists_every_problem_by_row_and_column(ctdc_sample):
    _spoil(
        ctdc_sample,
        {5: (";2002;", ";20x2;"), 7: (";CO;", ";ZZ;"), 1024: (";Male;", ";Mle;")},
    )
    stderr = StringIO()
    with pytest.raises(CommandError, match="3 problem"):
        call_command("import_ctdc", str(ctdc_sample), "--dry-run", stderr=stderr)
    assert stderr.getvalue().splitlines() == [
        "row 5, column yearOfRegistration: '20x2' is not a year",
        "row 7, column citizenship: 'ZZ' is not an ISO 3166 country code",
        "row 1024, column gender: 'Mle' is not a CTDC gender",
    ]
    assert not ImportBatch.objects.exists()


def test_one_bad_row_at_the_end_and_nothing_is_imported(ctdc_sample):
    _spoil(ctdc_sample, {1024: (";;1;;", ";;7;;")})

    with pytest.raises(services.ImportRejected) as rejected:
        services.records_import(actor=None, path=ctdc_sample, source=Source.CTDC, chunk_size=100)

    assert [(p.row, p.column) for p in rejected.value.problems] == [
        (1024, "meansOfControlNotSpecified")
    ]
    # The rows before it were written in chunks of 100, and rolled back.
    assert not ExternalRecord.objects.exists()
    assert not ImportBatch.objects.exists()
    assert not ActionLog.objects.filter(action=AuditEvent.EXCHANGE_IMPORTED).exists()


def test_a_row_with_too_few_cells_is_a_problem(ctdc_sample):
    with open(ctdc_sample, "a", encoding="utf-8") as file:
        file.write(";2019;Hotline;Male\n")

    with pytest.raises(services.ImportRejected) as rejected:
        services.records_import(actor=None, path=ctdc_sample, source=Source.CTDC)

    assert str(rejected.value.problems[0]) == "row 1025, column -: 4 cells where the header has 64"


def test_the_same_file_twice_adds_nothing(ctdc_sample):
    _run(ctdc_sample)
    output = _run(ctdc_sample)

    assert "imported already" in output
    assert "nothing added" in output
    assert ImportBatch.objects.count() == 1
    assert ExternalRecord.objects.count() == 1023


def test_rows_are_written_in_chunks_not_one_by_one(ctdc_sample):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        services.records_import(actor=None, path=ctdc_sample, source=Source.CTDC, chunk_size=500)

    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "exchange_externalrecord"')]
    # SQLite splits a bulk insert by its limit on parameters; still far from 1,023.
    assert 2 <= len(inserts) <= 30
    assert ExternalRecord.objects.count() == 1023


def test_a_file_that_is_not_ctdc_is_one_line_and_an_error(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")

    with pytest.raises(
        CommandError, match=r"not a CTDC file: missing column\(s\) yearOfRegistration"
    ):
        _run(path)


def test_a_missing_file_is_one_line_and_an_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        _run(tmp_path / "missing.csv")


def test_a_file_that_is_not_text_is_one_line_and_an_error(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00\x81" * 10)

    with pytest.raises(CommandError, match="not UTF-8 text"):
        _run(path)


def test_imported_records_stay_apart_from_the_centres_cases(ctdc_sample):
    services.records_import(actor=None, path=ctdc_sample, source=Source.CTDC)

    assert not Case.objects.exists()


def test_an_import_is_audited(ctdc_sample, alice):
    result = services.records_import(actor=alice, path=ctdc_sample, source=Source.CTDC)

    entry = ActionLog.objects.get(action=AuditEvent.EXCHANGE_IMPORTED)
    assert entry.actor == alice
    assert entry.object_id == str(result.batch.pk)
    assert entry.data["rows"] == 1023
    assert entry.data["sha256"] == result.batch.sha256


@pytest.mark.skipif(not CTDC_SAMPLE.exists(), reason="the sample is not in the checkout")
def test_the_shared_copy_of_the_sample_is_the_one_tested():
    from pathlib import Path

    shared = Path("/work/shared/data/ctdc/ctdc-k-anon-sample.csv")
    if not shared.exists():
        pytest.skip("no shared copy on this machine")
    assert shared.read_bytes() == CTDC_SAMPLE.read_bytes()
