from brik.exchange.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import an HTCDS v2 file (.json, or CSV) into the imported records, apart from the "
        "centre's own cases; --dry-run only checks it."
    )
    what = "HTCDS (.json or .csv)"
