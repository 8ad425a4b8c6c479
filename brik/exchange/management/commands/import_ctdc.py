from brik.exchange.importing import ImportCommand
from brik.exchange.models import Source


class Command(ImportCommand):
    help = (
        "Import a CTDC k-anonymised file (`;`-separated, CTDC's layout) into the imported "
        "records, apart from the centre's own cases; --dry-run only checks it."
    )
    source = Source.CTDC
    what = "CTDC"
