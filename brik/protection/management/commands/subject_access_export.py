from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import translation

from brik.cases.models import Person
from brik.core.management.base import BrikCommand
from brik.protection.subject_access import subject_access_export


class Command(BrikCommand):
    help = "Write everything held about one person (by case code) as JSON and readable HTML."

    def add_arguments(self, parser):
        parser.add_argument("code", help="The person's case code, e.g. BRK-2021-0042.")
        parser.add_argument("--output", type=Path, default=Path("."), help="Folder to write to.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=None,
            help="The reader's language: field names, values and dates (default: BRIK_LANGUAGE).",
        )

    def handle(self, *args, code, output, language, **options):
        try:
            person = Person.objects.get(code=code)
        except Person.DoesNotExist:
            raise CommandError(f"No person with the case code {code}.") from None
        with translation.override(language or settings.LANGUAGE_CODE):
            json_path, html_path = subject_access_export(
                actor=None, person=person, directory=output
            )
        self.stdout.write(self.style.SUCCESS(f"Wrote {json_path} and {html_path}"))
