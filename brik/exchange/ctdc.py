"""CTDC's flat file, read and written.

CTDC's k-anonymised files are `;`-separated, with a terms-of-use notice in the
first header cell and an empty first cell on every data row; flags are 1, 0 or
empty (missing); some cells are quoted because they contain `;`. The reader
takes a file as it comes (notice or not) and yields one parsed record or the
problems of each row, by row and column, so a dry run can list them all.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field

import pycountry

from brik.core.countries import REPORTING_COUNTRY
from brik.exchange import mapping

NOTICE = "By using this data you agree to the Terms of Use: https://www.ctdatacollaborative.org/terms-use"
DELIMITER = ";"

# The columns of CTDC's global k-anonymised release, in its order.
COLUMNS = [
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "majorityEntry",
    "citizenship",
    "meansOfControlDebtBondage",
    "meansOfControlTakesEarnings",
    "meansOfControlRestrictsFinancialAccess",
    "meansOfControlThreats",
    "meansOfControlPsychologicalAbuse",
    "meansOfControlPhysicalAbuse",
    "meansOfControlSexualAbuse",
    "meansOfControlFalsePromises",
    "meansOfControlPsychoactiveSubstances",
    "meansOfControlRestrictsMovement",
    "meansOfControlRestrictsMedicalCare",
    "meansOfControlExcessiveWorkingHours",
    "meansOfControlUsesChildren",
    "meansOfControlThreatOfLawEnforcement",
    "meansOfControlWithholdsNecessities",
    "meansOfControlWithholdsDocuments",
    "meansOfControlOther",
    "meansOfControlNotSpecified",
    "meansOfControlConcatenated",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
    "typeOfExploitConcatenated",
    "typeOfLabourAgriculture",
    "typeOfLabourAquafarming",
    "typeOfLabourBegging",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfLabourIllicitActivities",
    "typeOfLabourManufacturing",
    "typeOfLabourMiningOrDrilling",
    "typeOfLabourPeddling",
    "typeOfLabourTransportation",
    "typeOfLabourOther",
    "typeOfLabourNotSpecified",
    "typeOfLabourConcatenated",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "typeOfSexRemoteInteractiveServices",
    "typeOfSexPrivateSexualServices",
    "typeOfSexConcatenated",
    "isAbduction",
    "RecruiterRelationship",
    "CountryOfExploitation",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
    "recruiterRelationUnknown",
]
REQUIRED = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    *mapping.CTDC_EXPLOITATION_FLAGS,
]
MAJORITY_COLUMNS = ("majorityStatus", "majorityStatusAtExploit", "majorityEntry")
FLAG_PREFIXES = ("is", "meansOfControl", "typeOfLabour", "typeOfSex", "recruiterRelation")
# Where a k-anonymised export had to generalise a country: Eurostat's grouping.
COUNTRY_GROUPS = {"eu": "EU", "non_eu": "non-EU"}
YEARS = range(1990, 2101)


class HeaderError(ValueError):
    """The file is not a CTDC file (no header, or required columns missing)."""


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class Parsed:
    row: int
    record: dict | None
    problems: list[Problem] = field(default_factory=list)


def is_flag(column: str) -> bool:
    return column.startswith(FLAG_PREFIXES) and not column.endswith("Concatenated")


def valid_country(value: str) -> bool:
    if value in COUNTRY_GROUPS.values():
        return True
    return (
        len(value) == 2 and value.isupper() and pycountry.countries.get(alpha_2=value) is not None
    )


def read(lines) -> Iterator[Parsed]:
    """Parse an open text file (newline=""), one Parsed per data row, streamed."""
    reader = csv.reader(lines, delimiter=DELIMITER)
    header = next(reader, None)
    if not header:
        raise HeaderError("the file is empty: no CTDC header row")
    # The notice (or an empty cell) heads the leading column that every row has.
    lead = 1 if header[0] not in COLUMNS else 0
    columns = header[lead:]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise HeaderError("not a CTDC file: missing column(s) " + ", ".join(missing))
    width = len(header)
    for index, cells in enumerate(reader, start=2):
        if not cells:
            continue  # a blank line at the end
        if len(cells) != width:
            problem = Problem(index, "-", f"{len(cells)} cells where the header has {width}")
            yield Parsed(index, None, [problem])
            continue
        yield _parse_row(index, dict(zip(columns, cells[lead:], strict=True)), cells[:lead])


def _parse_row(row: int, cells: dict[str, str], lead: list[str]) -> Parsed:
    problems: list[Problem] = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem(row, column, message))

    if lead and lead[0].strip():
        bad("(leading)", f"expected an empty first cell, found {lead[0]!r}")
    cells = {k: v.strip() for k, v in cells.items()}
    year = None
    if raw := cells["yearOfRegistration"]:
        if raw.isdigit() and int(raw) in YEARS:
            year = int(raw)
        else:
            bad("yearOfRegistration", f"{raw!r} is not a year")
    gender = mapping.gender_from_ctdc(cells["gender"])
    if gender is None:
        bad("gender", f"{cells['gender']!r} is not a CTDC gender")
    band = cells["ageBroad"]
    if band and band not in mapping.AGE_BAND_NAMES:
        bad("ageBroad", f"{band!r} is not a CTDC age band")
    for column in MAJORITY_COLUMNS:
        value = cells.get(column, "")
        if value not in ("", "Adult", "Minor"):
            bad(column, f"{value!r} is neither Adult nor Minor")
    for column in ("citizenship", "CountryOfExploitation"):
        if cells[column] and not valid_country(cells[column]):
            bad(column, f"{cells[column]!r} is not an ISO 3166 country code")
    flags: dict[str, bool] = {}
    for column, value in cells.items():
        if is_flag(column):
            if value not in ("", "0", "1"):
                bad(column, f"{value!r} is not 1, 0 or empty")
            elif value:
                flags[column] = value == "1"
    if problems:
        return Parsed(row, None, problems)
    known = {
        "yearOfRegistration",
        "gender",
        "ageBroad",
        "majorityStatus",
        "citizenship",
        "CountryOfExploitation",
    }
    record = {
        "row_number": row,
        "year": year,
        "gender": gender,
        "age_band": band,
        "majority_status": cells.get("majorityStatus", ""),
        "citizenships": [cells["citizenship"]] if cells["citizenship"] else [],
        "countries_of_exploitation": (
            [cells["CountryOfExploitation"]] if cells["CountryOfExploitation"] else []
        ),
        "exploitation": {k: v for k, v in flags.items() if k in mapping.CTDC_EXPLOITATION_FLAGS},
        "means_of_control": {k: v for k, v in flags.items() if k.startswith("meansOfControl")},
        "data": {
            k: flags.get(k, v)
            for k, v in cells.items()
            if v
            and k not in known
            and k not in mapping.CTDC_EXPLOITATION_FLAGS
            and not k.startswith("meansOfControl")
        },
    }
    return Parsed(row, record)


# --- writing -----------------------------------------------------------------------


def country_group(code: str) -> str:
    """Generalise a country to Eurostat's group (the reporting country stays itself)."""
    from brik.core.countries import citizenship_group

    if not code or code in COUNTRY_GROUPS.values():
        return code
    group = citizenship_group(code)
    return REPORTING_COUNTRY if group == "reporting" else COUNTRY_GROUPS[group]


def header(notice: str) -> list[str]:
    return [notice, *COLUMNS]


def line(values: dict[str, object]) -> list[object]:
    """A data row: the leading empty cell, then every column (empty when missing)."""
    return ["", *(_cell(values.get(column)) for column in COLUMNS)]


def _cell(value: object) -> object:
    if value is None:
        return ""
    if value is True:
        return 1
    if value is False:
        return 0
    return value


def from_case(row: dict) -> dict:
    """One case (a row of brik.exchange.selectors.case_rows) in CTDC's columns.

    CTDC has one citizenship and one country of exploitation per record: the
    first (alphabetically) of each is written. Flags are empty (missing) until
    the case is assessed.
    """
    from brik.core import choices as c

    year = row["referred_on"].year
    band = mapping.age_band(year - row["birth_year"] if row["birth_year"] else None)
    values: dict[str, object] = {
        "yearOfRegistration": year,
        "Datasource": "Case Management",
        "gender": mapping.to_ctdc("gender", row["gender"]),
        "ageBroad": band,
        "majorityStatus": mapping.majority_status(band),
        "citizenship": sorted(row["citizenships"])[0] if row["citizenships"] else "",
        "CountryOfExploitation": sorted(row["countries_of_exploitation"] or [""])[0],
    }
    if not row["decided_on"]:
        return values
    forms = set(row["forms"])
    flags = {mapping.to_ctdc("exploitation_form", f) for f in forms} - {""}
    for flag in mapping.CTDC_EXPLOITATION_FLAGS:
        values[flag] = flag in flags
    values["isSexAndLabour"] = bool(
        {c.ExploitationForm.SEXUAL} & forms and "isForcedLabour" in flags
    )
    means = {mapping.to_ctdc("means_of_control", m) for m in row["means_of_control"] or []}
    for column in COLUMNS:
        if column.startswith("meansOfControl") and is_flag(column):
            values[column] = column in means
    values["meansOfControlNotSpecified"] = not means
    if row["sexual_exploitation_type"]:
        values[mapping.to_ctdc("sexual_exploitation_type", row["sexual_exploitation_type"])] = True
    if row["labour_sector"]:
        values[mapping.to_ctdc("labour_sector", row["labour_sector"])] = True
    return values
