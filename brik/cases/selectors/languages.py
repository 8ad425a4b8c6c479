"""Languages for the searchable language box."""

from functools import cache

from django.utils.translation import get_language

from brik.core.countries import language_choices


@cache
def _languages(interface_language: str) -> list[tuple[str, str]]:
    return language_choices()


def language_search(*, query: str, limit: int = 20) -> list[dict]:
    """Languages whose name (in the interface language) starts with or contains `query`."""
    query = query.strip().casefold()
    if not query:
        return []
    starts, contains = [], []
    for code, name in _languages(get_language() or "en"):
        folded = name.casefold()
        if folded.startswith(query) or code == query:
            starts.append({"value": code, "text": name})
        elif query in folded:
            contains.append({"value": code, "text": name})
        if len(starts) >= limit:
            break
    return (starts + contains)[:limit]
