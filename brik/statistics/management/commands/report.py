"""`brik report 2021 --lang da --format pdf --output report.pdf`"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from brik.statistics import exports, years
from brik.statistics.report import report_build
from brik.statistics.selectors.published import release_document


class Command(BaseCommand):
    help = "Write the annual report for a year as PDF, HTML, Excel or CSV."

    def add_arguments(self, parser):
        parser.add_argument(
            "year", type=int, help="The year the report covers, from 2000 to the current year."
        )
        parser.add_argument(
            "--lang",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="The report's language (default: the site's).",
        )
        parser.add_argument(
            "--format",
            default="html",
            choices=[*exports.FORMATS, "json"],
            help="pdf, html, xlsx, csv (a zip of one CSV per table, or one table with --table), "
            "or json (the machine-readable release: every language, exactly the published "
            "cells; for a published year, the stored release).",
        )
        parser.add_argument(
            "--output",
            help="The file to write (default: standard output for html and csv, "
            "a file named after the centre and the year otherwise).",
        )
        parser.add_argument(
            "--table",
            help="With --format csv: write only this table (its short name, e.g. gender).",
        )
        parser.add_argument(
            "--internal",
            action="store_true",
            help="Exact figures for the centre's staff, without disclosure control.",
        )

    def handle(self, *args, year, lang, format, output, table, internal, **options):
        try:
            years.validate_year(year)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if format == "json":
            if internal:
                raise CommandError("The JSON release is public: it cannot be internal.")
            content = exports.release_json(release_document(year=year))
            if output in (None, "-"):
                sys.stdout.buffer.write(content)
                return
            Path(output).write_bytes(content)
            self.stdout.write(f"Wrote {output} ({len(content):,} bytes).")
            return
        report = report_build(year=year, language=lang, internal=internal)
        if format == "csv" and table:
            found = {t.slug: t for t in report.all_tables()}
            if table not in found:
                raise CommandError(f"No table {table!r}. Tables: {', '.join(sorted(found))}.")
            content = exports.table_csv(found[table], report.threshold).encode()
            name = f"{year}-{table}.csv"
        else:
            try:
                content, _type, name = exports.render(report, format)
            except OSError as exc:  # WeasyPrint without pango
                raise CommandError(f"Could not write the PDF: {exc}") from exc
        to_stdout = output == "-" or (output is None and (format == "html" or bool(table)))
        if to_stdout:
            sys.stdout.buffer.write(content)
            return
        path = Path(output or name)
        path.write_bytes(content)
        self.stdout.write(f"Wrote {path} ({len(content):,} bytes).")
