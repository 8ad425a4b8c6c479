"""Languages and countries for the searchable boxes that load their options on demand."""

from functools import cache

from django.utils.translation import get_language

from brik.core.countries import country_choices, country_search_terms, language_choices


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


def country_search(*, query: str, limit: int = 20) -> list[dict]:
    """Countries (named in the interface language) whose name starts with `query`,
    then those where any of their names holds it ("Burma" finds Myanmar, "Rusland"
    Russia in English)."""
    query = " ".join(query.split()).casefold()
    if not query:
        return []
    starts, contains = [], []
    for code, name in country_choices():
        terms = country_search_terms(code)
        if name.casefold().startswith(query) or code.casefold() == query:
            starts.append({"value": code, "text": name, "aliases": terms})
        elif query in terms.casefold() or query in name.casefold():
            contains.append({"value": code, "text": name, "aliases": terms})
    return (starts + contains)[:limit]
