"""The centre's name in the active language (BRIK_CENTRE_NAME, BRIK_CENTRE_NAME_EN)."""

from django.conf import settings
from django.utils.translation import get_language


def centre_name(language: str | None = None) -> str:
    """The Danish name, or the English one on English pages, reports and e-mails."""
    language = (language or get_language() or "da").split("-")[0]
    if language == "en":
        return settings.CENTRE_NAME_EN or settings.CENTRE_NAME
    return settings.CENTRE_NAME
