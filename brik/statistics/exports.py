"""The report as a publication (HTML, PDF), a workbook (Excel) and data files (CSV).

All formats read the same Report, so the same protected figures appear in
each. Public versions show "<5" and "x" where disclosure control hides a
figure; internal versions say on every page that they are internal.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from brik.core.exports import csv_writer, xlsx_append, xlsx_workbook
from brik.core.names import centre_name
from brik.statistics.tables import Report, Table

FORMATS = ("pdf", "html", "xlsx", "csv")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
}


# Rows that are not part of their table's total (by table slug): drawn after the
# total, apart, so that "Referrals made" does not read as one of the contacts.
OUTSIDE_TOTAL = {"outreach": {"referrals_made", "rounds"}}


def table_view(table: Table, threshold: int) -> dict:
    """What a template needs to draw a table."""
    rows = table.display_rows(threshold)
    outside = OUTSIDE_TOTAL.get(table.slug, set()) if table.total is not None else set()
    body = [(row, cells) for row, cells in rows if row is not table.total]
    return {
        "table": table,
        "header": table.header(),
        "rows": [(row, cells) for row, cells in body if row.key not in outside],
        "total": next((cells for row, cells in rows if row is table.total), None),
        "total_label": table.total.label if table.total else "",
        "after_total": [(row, cells) for row, cells in body if row.key in outside],
    }


def report_context(report: Report) -> dict:
    charts = {slug: svg for section in report.sections for slug, svg in section.charts}
    return {
        "report": report,
        "centre_name": centre_name(report.language),
        "sections": [
            {
                "section": section,
                "tables": [
                    {**table_view(t, report.threshold), "chart": charts.get(t.slug, "")}
                    for t in section.tables
                ],
            }
            for section in report.sections
        ],
        "eurostat": [table_view(t, report.threshold) for t in report.eurostat],
    }


def render_html(report: Report, *, for_print: bool = False) -> str:
    with translation.override(report.language):
        context = {**report_context(report), "for_print": for_print}
        return render_to_string("statistics/report_document.html", context)


def render_pdf(report: Report) -> bytes:
    # WeasyPrint reports each step, page and SVG style it passes over at INFO,
    # some of it while it is imported.
    for name in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # Imported here: WeasyPrint needs pango, which a laptop may lack; the rest of
    # Brik works without it.
    from weasyprint import HTML

    return HTML(
        string=render_html(report, for_print=True), base_url=str(settings.BASE_DIR)
    ).write_pdf()


SHEET_NAME_LENGTH = 31  # Excel's limit


def _sheet_name(title: str, used: set[str]) -> str:
    """A readable sheet name of at most 31 characters, unique in the workbook.

    The title (in the report's language) is shortened at a word, not cut inside
    one; a name already used gets " 2", " 3"... within the same limit.
    """
    name = " ".join(re.sub(r"[\[\]:*?/\\]", " ", title).split()).strip("'") or "Table"

    def fit(text: str, room: int) -> str:
        if len(text) <= room:
            return text
        words, out = text.split(), ""
        for word in words:
            if len(out) + len(word) + (1 if out else 0) > room:
                break
            out = f"{out} {word}".strip()
        # A first word longer than the room is cut (it is all there is to show).
        return (out or text[:room]).rstrip(" ,;-–(")

    candidate, n = fit(name, SHEET_NAME_LENGTH), 2
    while candidate.lower() in used:
        suffix = f" {n}"
        candidate = fit(name, SHEET_NAME_LENGTH - len(suffix)) + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


# The word after which a table title names what it is broken down by (English, Danish).
_SPLIT_AFTER = {"by", "på"}


def _short_titles(titles: list[str]) -> list[str]:
    """Titles too long for a sheet name without the opening words they share with others.

    "Identified victims by form of exploitation" beside "Identified victims by
    gender" becomes "Form of exploitation": the words that tell the sheets apart
    are kept, not cut off.
    """
    split = [t.split() for t in titles]
    out = []
    for words in split:
        text = " ".join(words)
        if len(text) <= SHEET_NAME_LENGTH:
            out.append(text)
            continue
        # The longest opening shared with another title up to "by" ("fordelt på"):
        # "Identified victims by" is left out, "form of exploitation" is kept.
        shared = 0
        for n in range(2, len(words)):
            if words[n - 1].lower() in _SPLIT_AFTER and any(
                other is not words and other[:n] == words[:n] for other in split
            ):
                shared = n
        rest = words[shared:] if shared else words
        short = " ".join(rest)
        out.append(short[:1].upper() + short[1:])
    return out


def _table_rows(table: Table, threshold: int) -> list[list]:
    """Header and rows with numbers as numbers, hidden cells as their sign."""
    out = [["", *table.header()]]
    for row, cells in table.display_rows(threshold):
        values = []
        for i, text in enumerate(cells):
            if i < len(row.values) and not row.mark(i):
                values.append(table.number(row.values[i]))
            elif i == len(row.values) and table.change(row) is not None:
                values.append(table.change(row))
            else:
                values.append(text)
        out.append([str(row.label), *values])
    return out


def render_xlsx(report: Report) -> bytes:
    from openpyxl.styles import Alignment, Font

    with translation.override(report.language):
        workbook = xlsx_workbook()
        about = workbook.active
        about.title = _sheet_name(_("About"), set())
        used = {about.title.lower()}
        xlsx_append(about, [f"{centre_name(report.language)}: {report.title}"])
        about["A1"].font = Font(bold=True, size=14)
        if report.foreword:
            xlsx_append(about, [_("Foreword")])
            xlsx_append(about, [report.foreword])
        xlsx_append(about, [report.disclosure_note])
        xlsx_append(about, [report.counting_note])
        xlsx_append(about, [])
        xlsx_append(about, [_("Summary")])
        for sentence in report.summary:
            xlsx_append(about, [sentence])
        about.column_dimensions["A"].width = 120
        tables = [*report.tables(), *report.eurostat]
        names = _short_titles([str(table.title) for table in tables])
        for table, name in zip(tables, names, strict=True):
            sheet = workbook.create_sheet(_sheet_name(name, used))
            xlsx_append(sheet, [str(table.title)])
            sheet["A1"].font = Font(bold=True)
            for values in _table_rows(table, report.threshold):
                xlsx_append(sheet, values)
            for cell in sheet[2]:
                cell.font = Font(bold=True)
            if table.total is not None:
                for cell in sheet[sheet.max_row]:
                    cell.font = Font(bold=True)
            xlsx_append(sheet, [])
            xlsx_append(sheet, [table.note])
            xlsx_append(sheet, [report.disclosure_note])
            sheet.column_dimensions["A"].width = 48
            for row in sheet.iter_rows(min_row=3, min_col=2):
                for cell in row:
                    cell.alignment = Alignment(horizontal="right")
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _with_codes(table: Table, rows: list[list]) -> list[list]:
    """The rows with the category codes (Eurostat's): a first column of the rows'
    codes, and under the header a row of the columns' codes."""
    header, *body = rows
    column_codes = [table.column_codes.get(c.key, "") for c in table.columns]
    column_codes += [""] * (len(header) - 1 - len(column_codes))  # the change column
    coded = [["code", *header], ["", "code", *column_codes]]
    for row, values in zip(table.all_rows(), body, strict=True):
        coded.append([table.row_codes.get(row.key, ""), *values])
    return coded


def table_csv(table: Table, threshold: int) -> str:
    """A table as CSV: a header, then a row per category; with codes when the table has them."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    rows = _table_rows(table, threshold)
    if table.row_codes or table.column_codes:
        rows = _with_codes(table, rows)
    for values in rows:
        writer.writerow(values)
    return buffer.getvalue()


def csv_files(report: Report) -> dict[str, str]:
    """One CSV per table, named by its slug (the Eurostat set prefixed "eurostat_")."""
    with translation.override(report.language):
        return {
            f"{report.year}-{slugify(table.slug)}.csv": table_csv(table, report.threshold)
            for table in [*report.tables(), *report.eurostat]
        }


def _zip(files: dict[str, str]) -> bytes:
    """A zip of text files, the same bytes for the same files (a fixed date on each entry)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()


def render_csv_zip(report: Report) -> bytes:
    with translation.override(report.language):
        as_of = _("Data as of %(date)s.") % {"date": report.data_as_of}
    readme = f"{report.title}\n\n{as_of}\n\n{report.counting_note}\n\n{report.disclosure_note}\n"
    return _zip({**csv_files(report), "README.txt": readme})


# --- the machine-readable release (both languages, exactly the published cells) -------------


def release_json(document: dict) -> bytes:
    """The release document as JSON: the same document gives the same bytes."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _cell_text(value, mark: str, threshold: int) -> str:
    if mark == "primary":
        return f"<{threshold}"
    if mark == "not_shown":
        return "not shown"
    if mark:
        return "x"
    return "" if value is None else str(value)


def release_csv_files(document: dict) -> dict[str, str]:
    """One CSV per table of a release: category code, labels in each language, one
    column per published column ("<5" and "x" where hidden), and README.txt."""
    languages = sorted(document["methodology"])
    threshold = document["threshold"]
    files = {}
    for table in document["tables"]:
        buffer = io.StringIO()
        writer = csv_writer(buffer)
        writer.writerow(
            ["code", *(f"label_{lang}" for lang in languages)]
            + [str(c["key"]) for c in table["columns"]]
        )
        rows = [*table["rows"], *([table["total"]] if table["total"] else [])]
        for row in rows:
            writer.writerow(
                [row["key"], *(row["label"].get(lang, "") for lang in languages)]
                + [
                    _cell_text(v, m, threshold)
                    for v, m in zip(row["values"], row["marks"], strict=True)
                ]
            )
        files[f"{document['year']}-{slugify(table['slug'])}.csv"] = buffer.getvalue()
    readme = [f"Release {document['year']} ({document['format']})"]
    readme.append(f"Data as of {document['data_as_of']}.")
    readme += [f"{key}: {text}" for key, text in sorted(document["markers"].items())]
    for lang in languages:
        notes = document["methodology"][lang]
        foreword = document.get("foreword", {}).get(lang, "")
        readme += [f"[{lang}]", *([foreword] if foreword else [])]
        readme += [notes["counting"], notes["disclosure"], *notes["revisions"]]
    files["README.txt"] = "\n\n".join(readme) + "\n"
    return files


def release_csv_zip(document: dict) -> bytes:
    return _zip(release_csv_files(document))


def render(report: Report, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report in a format."""
    stem = f"{slugify(centre_name(report.language))}-{report.year}-{report.language}" + (
        "-internal" if report.internal else ""
    )
    if fmt == "pdf":
        return render_pdf(report), CONTENT_TYPES["pdf"], f"{stem}.pdf"
    if fmt == "html":
        return render_html(report).encode(), CONTENT_TYPES["html"], f"{stem}.html"
    if fmt == "xlsx":
        return render_xlsx(report), CONTENT_TYPES["xlsx"], f"{stem}.xlsx"
    if fmt == "csv":
        return render_csv_zip(report), CONTENT_TYPES["zip"], f"{stem}-csv.zip"
    raise ValueError(fmt)
