"""The pure parts of scripts/benchmark.py (its figures are not tested, only its arithmetic)."""

import importlib.util
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from brik.statistics.selectors import AGE_BANDS

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "benchmark.py"


@pytest.fixture(scope="module")
def benchmark():
    spec = importlib.util.spec_from_file_location("benchmark_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_percentile_interpolates_between_the_closest_ranks(benchmark):
    values = [4.0, 1.0, 3.0, 2.0]
    assert benchmark.percentile(values, 0) == 1.0
    assert benchmark.percentile(values, 50) == 2.5
    assert benchmark.percentile(values, 100) == 4.0
    assert benchmark.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_percentile_of_one_value_is_that_value_and_of_none_is_not_a_number(benchmark):
    assert benchmark.percentile([0.25], 99) == 0.25
    assert math.isnan(benchmark.percentile([], 50))


def test_summarise_gives_rates_and_milliseconds(benchmark):
    result = benchmark.summarise("case list", [0.010, 0.020, 0.030, 0.040], errors=1, seconds=2.0)
    assert result.requests == 4
    assert result.errors == 1
    assert result.req_per_s == 2.0
    assert result.p50_ms == 25.0
    assert result.p99_ms == pytest.approx(39.7)


def test_the_csrf_token_is_read_from_a_form(benchmark):
    html = '<form><input type="hidden" name="csrfmiddlewaretoken" value="abc123"></form>'
    assert benchmark.csrf_token(html) == "abc123"
    with pytest.raises(RuntimeError):
        benchmark.csrf_token("<form></form>")


def test_the_baselines_band_ages_as_the_report_does(benchmark):
    bands = list(
        zip(benchmark.AGE_LABELS, benchmark.AGE_EDGES, benchmark.AGE_EDGES[1:], strict=False)
    )
    assert [(label, low + 1, high) for label, low, high in bands] == [
        (band, low, min(high, 200)) for band, low, high in AGE_BANDS
    ]


def test_every_page_has_a_unique_name_and_a_path(benchmark):
    targets = benchmark.Targets(
        year=2023,
        case_pks=[7, 8],
        citizenship="NG",
        code_fragment="0042",
        names=["Ana Popescu", "Popescu"],
    )
    names = [page.name for page in benchmark.PAGES]
    assert len(names) == len(set(names))
    paths = [page.path(targets, 1) for page in benchmark.PAGES]
    assert all(path.startswith("/") for path in paths)
    assert "/cases/8/" in paths
    assert "/search/?q=Popescu" in paths  # the names in turn, one per request


def test_the_server_gets_the_database_settings_and_none_of_the_callers_others(
    benchmark, monkeypatch, tmp_path
):
    """So that two settings of the database can be compared under load; the caller's
    keys, debug mode and data folder never reach the measured server."""
    monkeypatch.setenv("BRIK_PG_PREPARED_STATEMENTS", "False")
    monkeypatch.setenv("BRIK_DB_CONN_MAX_AGE", "0")
    monkeypatch.setenv("BRIK_DATABASE_URL", "postgres://brik@127.0.0.1/bench")
    monkeypatch.setenv("BRIK_SECRET_KEY", "the caller's")
    monkeypatch.setenv("BRIK_DEBUG", "True")
    env = benchmark.server_environment(tmp_path, {"BRIK_ENCRYPTION_KEYS": "k"})
    assert env["BRIK_PG_PREPARED_STATEMENTS"] == "False"
    assert env["BRIK_DB_CONN_MAX_AGE"] == "0"
    assert env["BRIK_DATABASE_URL"] == "postgres://brik@127.0.0.1/bench"
    assert "BRIK_SECRET_KEY" not in env
    assert env["BRIK_DEBUG"] == "False"
    assert env["BRIK_DATA_DIR"] == str(tmp_path)
    assert env["BRIK_ENCRYPTION_KEYS"] == "k"


def test_brik_benchmark_runs_the_script_with_its_options():
    brik = Path(sys.executable).with_name("brik")
    result = subprocess.run(
        [str(brik), "benchmark", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "--persons" in result.stdout
    assert "--clients" in result.stdout


def test_the_cases_are_multiplied_with_fresh_ids_and_codes_and_their_own_rows(benchmark, tmp_path):
    import sqlite3

    path = tmp_path / "brik.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE cases_person (id INTEGER PRIMARY KEY, code TEXT UNIQUE, gender TEXT);
        CREATE TABLE cases_personcitizenship (id INTEGER PRIMARY KEY, country TEXT, person_id INT);
        CREATE TABLE cases_case (id INTEGER PRIMARY KEY, person_id INT, status TEXT);
        CREATE TABLE cases_referral (id INTEGER PRIMARY KEY, case_id INT UNIQUE, channel TEXT);
        CREATE TABLE cases_assessment (id INTEGER PRIMARY KEY, case_id INT UNIQUE);
        CREATE TABLE cases_exploitationform (id INTEGER PRIMARY KEY, form TEXT, assessment_id INT);
        INSERT INTO cases_person VALUES (1, 'BRK-1', 'woman'), (2, 'BRK-2', 'man');
        INSERT INTO cases_personcitizenship VALUES (1, 'RO', 1);
        INSERT INTO cases_case VALUES (1, 1, 'closed'), (2, 2, 'referred'), (3, 1, 'referred');
        INSERT INTO cases_referral VALUES (1, 1, 'police'), (2, 2, 'ngo'), (3, 3, 'police');
        INSERT INTO cases_assessment VALUES (5, 1);
        INSERT INTO cases_exploitationform VALUES (1, 'sexual', 5);
        """
    )
    db.commit()
    db.close()

    assert benchmark.multiply_cases(path, 10) == 12  # 3 cases, copied to 4 times as many

    db = sqlite3.connect(path)
    codes = [row[0] for row in db.execute("SELECT code FROM cases_person ORDER BY id")]
    assert codes == [
        "BRK-1",
        "BRK-2",
        "BRK-1x2",
        "BRK-2x2",
        "BRK-1x3",
        "BRK-2x3",
        "BRK-1x4",
        "BRK-2x4",
    ]
    # Every copied row points at its own copy: a case's person, referral, assessment, forms.
    joined = db.execute(
        """SELECT count(*) FROM cases_case c JOIN cases_person p ON p.id = c.person_id
           JOIN cases_referral r ON r.case_id = c.id"""
    ).fetchone()[0]
    assert joined == 12
    forms = db.execute(
        """SELECT c.id, p.code FROM cases_exploitationform f
           JOIN cases_assessment a ON a.id = f.assessment_id JOIN cases_case c ON c.id = a.case_id
           JOIN cases_person p ON p.id = c.person_id ORDER BY c.id"""
    ).fetchall()
    assert [code for _id, code in forms] == ["BRK-1", "BRK-1x2", "BRK-1x3", "BRK-1x4"]
    assert db.execute("SELECT count(*) FROM cases_personcitizenship").fetchone()[0] == 4
    db.close()


def test_the_machines_speed_is_a_loop_timed_alone_and_on_every_cpu_at_once(benchmark):
    speed = benchmark.machine_speed()
    assert speed["cpus"] == os.cpu_count()
    assert 0 < speed["alone_ms"] < 60_000
    assert 0 < speed["every_cpu_ms"] < 60_000
    line = benchmark.speed_line({"alone_ms": 41.26, "every_cpu_ms": 47.8, "cpus": 2})
    assert line == "a fixed Python loop took 41 ms alone, 48 ms on each of 2 CPUs at once"


def test_the_counted_dumps_are_read_by_the_name_each_was_given(benchmark, tmp_path):
    def dump(number, trigger, total):
        path = tmp_path / f"callgrind.out.{number}"
        path.write_text(
            f"version: 1\ncreator: callgrind-3.19.0\npid: 7\ncmd: python\npart: {number}\n\n"
            f"desc: I1 cache: \ndesc: Timerange: Basic block 0 - 9\n"
            f"desc: Trigger: {trigger}\n\npositions: line\nevents: Ir\n"
            f"summary: {total}\n\nfl=(1) x.c\nfn=(1) f\n0 {total}\n\ntotals: {total}\n"
        )
        return path

    paths = [
        dump(1, "Client Request: start-up", 900),
        dump(2, "Client Request: case list, by citizenship", 2_600),
        dump(3, "Program termination", 5),
    ]
    assert benchmark.read_dumps(paths) == {"start-up": 900, "case list, by citizenship": 2_600}


def test_counting_without_valgrind_fails_with_one_line_saying_how_to_get_it(
    benchmark, tmp_path, monkeypatch
):
    monkeypatch.setattr(benchmark.shutil, "which", lambda tool: None)
    with pytest.raises(SystemExit, match="make instructions"):
        benchmark._dump_helper(tmp_path)


def test_the_counted_pages_are_the_five_of_the_targets(benchmark):
    names = [page.name for page in benchmark.select_pages(benchmark.COUNTED_PAGES)]
    assert names == [
        "case list",
        "case list, by citizenship",
        "name search",
        "My work",
        "case page",
    ]
