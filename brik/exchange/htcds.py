"""IOM's Human Trafficking Case Data Standard (HTCDS v2): Brik's records in and out.

Brik writes the HTCDS fields it holds, one record per case, with HTCDS's
camelCase names and codes (the codes from brik.exchange.mapping). In CSV a
multi-valued field is one cell with its values joined by `;`; in JSON it is a
list. The importer reads both and yields, like the CTDC reader, one parsed
record or the problems of a row, by row and field.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from brik.core import choices as c
from brik.exchange import mapping
from brik.exchange.ctdc import YEARS, HeaderError, Parsed, Problem, valid_country

STANDARD = {"standard": "HTCDS", "version": "2.0"}
LIST_SEPARATOR = ";"

# The HTCDS fields Brik exports, in order; the lists are multi-valued.
FIELDS = [
    "caseId",
    "dataSource",
    "yearOfRegistration",
    "dateOfRegistration",
    "gender",
    "yearOfBirth",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "traffickingStatus",
    "dateOfIdentification",
    "typeOfExploitation",
    "typeOfSexualExploitation",
    "typeOfLabour",
    "meansOfControl",
    "countryOfExploitation",
    "referringOrganisationType",
]
LISTS = {"citizenship", "typeOfExploitation", "meansOfControl", "countryOfExploitation"}
DATA_SOURCE = "Brik"


# --- out ---------------------------------------------------------------------------


def record(row: dict) -> dict:
    """One case (a row of brik.exchange.selectors.case_rows) as an HTCDS record."""
    year = row["referred_on"].year
    age = year - row["birth_year"] if row["birth_year"] else None
    band = mapping.age_band(age)
    if row["outcome"]:
        status = c.OUTCOME_STATUS[c.Outcome(row["outcome"])]
    else:
        status = c.TraffickingStatus.POSSIBLE
    return {
        "caseId": row["case_code"],
        "dataSource": DATA_SOURCE,
        "yearOfRegistration": year,
        "dateOfRegistration": row["referred_on"].isoformat(),
        "gender": mapping.to_htcds("gender", row["gender"]),
        "yearOfBirth": row["birth_year"],
        "ageBroad": band,
        "majorityStatus": mapping.majority_status(band),
        "citizenship": list(row["citizenships"]),
        "traffickingStatus": mapping.to_htcds("trafficking_status", status),
        "dateOfIdentification": row["decided_on"].isoformat() if row["decided_on"] else None,
        "typeOfExploitation": _codes("exploitation_form", row["forms"]),
        "typeOfSexualExploitation": mapping.to_htcds(
            "sexual_exploitation_type", row["sexual_exploitation_type"] or ""
        ),
        "typeOfLabour": mapping.to_htcds("labour_sector", row["labour_sector"] or ""),
        "meansOfControl": _codes("means_of_control", row["means_of_control"] or []),
        "countryOfExploitation": list(row["countries_of_exploitation"] or []),
        "referringOrganisationType": mapping.to_htcds(
            "organisation_type", row["referring_organisation_type"] or ""
        ),
    }


def _codes(category: str, values) -> list[str]:
    codes = [mapping.to_htcds(category, v) for v in values]
    return list(dict.fromkeys(code for code in codes if code))


def csv_cells(rec: dict) -> list:
    cells = []
    for name in FIELDS:
        value = rec[name]
        if name in LISTS:
            value = LIST_SEPARATOR.join(value)
        cells.append("" if value is None else value)
    return cells


# --- in ----------------------------------------------------------------------------


def read_csv(lines) -> Iterator[Parsed]:
    reader = csv.DictReader(lines)
    if not reader.fieldnames:
        raise HeaderError("the file is empty: no HTCDS header row")
    missing = [n for n in ("yearOfRegistration", "gender") if n not in reader.fieldnames]
    if missing:
        raise HeaderError("not an HTCDS CSV file: missing column(s) " + ", ".join(missing))
    for index, cells in enumerate(reader, start=2):
        if None in cells or None in cells.values():
            yield Parsed(index, None, [Problem(index, "-", "not as many cells as the header")])
            continue
        values = {
            name: ([v for v in cell.split(LIST_SEPARATOR) if v.strip()] if name in LISTS else cell)
            for name, cell in cells.items()
        }
        yield parse(index, values)


def read_json(file) -> Iterator[Parsed]:
    """A JSON document: a list of records, or {"records": [...]} (read whole)."""
    try:
        document = json.load(file)
    except json.JSONDecodeError as exc:
        raise HeaderError(f"not a JSON file: {exc}") from exc
    records = document.get("records") if isinstance(document, dict) else document
    if not isinstance(records, list):
        raise HeaderError(
            'not an HTCDS JSON file: expected a list of records or {"records": [...]}'
        )
    for index, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            yield Parsed(index, None, [Problem(index, "-", "a record must be an object")])
            continue
        yield parse(index, rec)


def parse(row: int, rec: dict) -> Parsed:
    """One HTCDS record (CSV cells already split into lists) as an ExternalRecord's fields."""
    problems: list[Problem] = []

    def bad(name: str, message: str) -> None:
        problems.append(Problem(row, name, message))

    def text(name: str) -> str:
        value = rec.get(name)
        return "" if value is None else str(value).strip()

    def listed(name: str) -> list[str]:
        value = rec.get(name) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            bad(name, "expected a list")
            return []
        return [str(v).strip() for v in value if str(v).strip()]

    year = None
    if raw := text("yearOfRegistration"):
        if raw.isdigit() and int(raw) in YEARS:
            year = int(raw)
        else:
            bad("yearOfRegistration", f"{raw!r} is not a year")
    gender = ""
    if raw := text("gender"):
        gender = mapping.from_htcds("gender", raw)
        if gender is None:
            bad("gender", f"{raw!r} is not an HTCDS gender")
    band = text("ageBroad")
    if band and band not in mapping.AGE_BAND_NAMES:
        bad("ageBroad", f"{band!r} is not an age band")
    if not band and (born := text("yearOfBirth")):
        if born.isdigit() and year:
            band = mapping.age_band(year - int(born))
        elif not born.isdigit():
            bad("yearOfBirth", f"{born!r} is not a year")
    countries = {}
    for name in ("citizenship", "countryOfExploitation"):
        countries[name] = listed(name)
        for code in countries[name]:
            if not valid_country(code):
                bad(name, f"{code!r} is not an ISO 3166 country code")
    exploitation: dict[str, bool] = {}
    forms = listed("typeOfExploitation")
    for code in forms:
        form = mapping.from_htcds("exploitation_form", code)
        if form is None:
            bad("typeOfExploitation", f"{code!r} is not an HTCDS form of exploitation")
        elif flag := mapping.to_ctdc("exploitation_form", form):
            exploitation[flag] = True
    if forms:  # a stated list says no to the forms it does not name
        exploitation = {f: exploitation.get(f, False) for f in mapping.CTDC_EXPLOITATION_FLAGS}
    means: dict[str, bool] = {}
    for code in listed("meansOfControl"):
        value = mapping.from_htcds("means_of_control", code)
        if value is None:
            bad("meansOfControl", f"{code!r} is not an HTCDS means of control")
        elif column := mapping.to_ctdc("means_of_control", value):
            means[column] = True
    if problems:
        return Parsed(row, None, problems)
    known = {"yearOfRegistration", "gender", "ageBroad", "majorityStatus", "citizenship"}
    known |= {"countryOfExploitation", "typeOfExploitation", "meansOfControl"}
    return Parsed(
        row,
        {
            "row_number": row,
            "year": year,
            "gender": gender,
            "age_band": band,
            "majority_status": mapping.majority_status(band),
            "citizenships": countries["citizenship"],
            "countries_of_exploitation": countries["countryOfExploitation"],
            "exploitation": exploitation,
            "means_of_control": means,
            "data": {k: v for k, v in rec.items() if k not in known and v not in ("", None, [])},
        },
    )
